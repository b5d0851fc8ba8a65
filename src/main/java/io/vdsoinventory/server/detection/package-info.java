/**
 * Detection: the rules that turn what a host reported into findings (known-good images, cohort baselines, the
 * expected ABI, the agent's own evidence), the cohorts that learn a baseline from a quorum of hosts, and the
 * sweep that finds silent hosts and expires drift. It listens to {@link io.vdsoinventory.server.fleet.HostReported}
 * and {@link io.vdsoinventory.server.fleet.ImageStored} and writes findings through
 * {@link io.vdsoinventory.server.findings.FindingStore}.
 */
@NullMarked
package io.vdsoinventory.server.detection;

import org.jspecify.annotations.NullMarked;
