package io.vdsoinventory.server.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vdsoinventory.server.ServiceTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every metric the alert rules and dashboards query is exported by a running server that ingested a small fleet. */
class MetricContractTests extends ServiceTestSupport {

    @Autowired
    private FleetGauges fleetGauges;

    @Autowired
    private FindingGauges findingGauges;

    @Test
    void prometheusWhenAFleetReportedThenEveryMetricTheRulesAndPanelsUseIsExported() throws Exception {
        List<String> used = metricsUsed();
        String release = "6.6.0-" + uniqueKey().substring(0, 8);
        reportImage(enroll(uniqueKey(), "m-1"), "m-1", release, vdsoImage(), Map.of());
        reportImage(enroll(uniqueKey(), "m-2"), "m-2", release, vdsoImage("number_of_the_beast"), Map.of());
        fleetGauges.refresh();
        findingGauges.refresh();

        String scrape = given().port(port).get("/actuator/prometheus").then().statusCode(200).extract().asString();

        assertThat(used).isNotEmpty();
        List<String> exported = scrape.lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).distinct().toList();
        assertThat(exported).containsAll(used);
        assertThat(scrape).contains("vdso_findings_open{kind=\"UNKNOWN_SYMBOL\",severity=\"high\"}",
                "vdso_findings_opened_total{kind=\"HOST_SILENT\",severity=\"low\"} ",
                "vdso_kernel_drift_events_total{arch=\"riscv64\"} ");
    }

    /** The names {@code scripts/observability.py metrics-used} prints; skipped when python3 or PyYAML is missing. */
    private static List<String> metricsUsed() throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("python3", "scripts/observability.py", "metrics-used").start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(process.exitValue() == 0 || !err.contains("No module named 'yaml'"), "PyYAML is missing");
        assertThat(process.exitValue()).as(err).isZero();
        return out.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
