/**
 * The service's side of the metric contract in docs/metrics.md: ingest counters and latency histogram per
 * replica, fleet-state gauges read from PostgreSQL (the same on every replica).
 */
@NullMarked
package io.vdsoinventory.server.metrics;

import org.jspecify.annotations.NullMarked;
