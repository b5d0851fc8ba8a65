/**
 * The agent protocol: enrolment, idempotent reports, image uploads hashed and parsed by the service itself, and
 * the back-pressure that answers 429 when ingest is saturated. {@link io.vdsoinventory.server.fleet.HostReported}
 * is published after every applied report: the seam for detection.
 */
@NullMarked
package io.vdsoinventory.server.ingest;

import org.jspecify.annotations.NullMarked;
