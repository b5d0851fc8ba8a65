package io.vdsoinventory.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every {@code POST /agent/reports} by outcome ({@code vdso_reports_total{result}}) and times it
 * ({@code vdso_ingest_duration_seconds}). A filter sees the final status of every answer, including those
 * refused before a handler ran (401, 415) and those of the error advice.
 */
@Component
class ReportMetricsFilter extends OncePerRequestFilter {

    private final Map<ReportResult, Counter> reports = new EnumMap<>(ReportResult.class);
    private final Timer duration;

    ReportMetricsFilter(MeterRegistry registry) {
        // every series exists from the start at 0, so rate() sees the first increment (docs/metrics.md)
        for (ReportResult result : ReportResult.values()) {
            reports.put(result, Counter.builder("vdso.reports").description("Agent reports received, by outcome")
                    .tag("result", result.label()).register(registry));
        }
        this.duration = Timer.builder("vdso.ingest.duration").description("Time to ingest one report")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** Whether {@code request} is an agent report ({@code POST /agent/reports}). */
    static boolean isReport(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && "/agent/reports".equals(request.getRequestURI());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isReport(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            duration.record(Duration.ofNanos(System.nanoTime() - start));
            boolean duplicate = request.getAttribute(ReportResult.ATTRIBUTE) == ReportResult.DUPLICATE;
            reports.get(ReportResult.of(response.getStatus(), duplicate)).increment();
        }
    }
}
