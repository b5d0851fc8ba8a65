/**
 * Detection (a later issue): the kinds and severities of findings, which the inventory already filters and shows.
 * Detection listens to {@link io.vdsoinventory.server.fleet.HostReported} and
 * {@link io.vdsoinventory.server.fleet.ImageStored} and writes the {@code findings} table.
 */
@NullMarked
package io.vdsoinventory.server.detection;

import org.jspecify.annotations.NullMarked;
