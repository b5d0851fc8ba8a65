/**
 * Detection (a later issue): the kinds and severities of findings, which the inventory already filters and shows.
 * Detection listens to {@link io.vdsoinventory.server.ingest.HostReported} and
 * {@link io.vdsoinventory.server.ingest.ImageStored} and writes the {@code findings} table.
 */
@NullMarked
package io.vdsoinventory.server.detection;

import org.jspecify.annotations.NullMarked;
