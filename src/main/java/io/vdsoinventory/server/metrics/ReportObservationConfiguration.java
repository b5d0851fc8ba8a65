package io.vdsoinventory.server.metrics;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Agent reports are counted and timed by {@link ReportMetricsFilter} ({@code vdso_reports_total},
 * {@code vdso_ingest_duration_seconds}), so the generic {@code http_server_requests} observation skips them: it
 * was about 7% of the server's CPU per heartbeat in the ingest profile (BENCHMARKS.md). Every other request is
 * still observed.
 */
@Configuration(proxyBeanMethods = false)
class ReportObservationConfiguration {

    @Bean
    ObservationPredicate reportsWithoutGenericObservation() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && ReportMetricsFilter.isReport(server.getCarrier()));
    }
}
