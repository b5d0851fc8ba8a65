package io.vdsoinventory.server.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.ServiceTestSupport;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class MetricsTests extends ServiceTestSupport {

    @Autowired
    private FleetGauges fleetGauges;

    @Test
    void reportsWhenAcceptedRetriedOrRejectedThenCountedByResult() {
        Agent agent = enroll(uniqueKey(), "metrics-1");
        Map<String, Object> body = report("metrics-1", "6.1.0", Sha256.of(new byte[] {9}), Map.of());
        double accepted = value("vdso_reports_total{result=\"accepted\"}");
        double duplicate = value("vdso_reports_total{result=\"duplicate\"}");
        double rejected = value("vdso_reports_total{result=\"rejected\"}");
        double timed = value("vdso_ingest_duration_seconds_count");

        api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports").then().statusCode(200);
        api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports").then().statusCode(200);
        api().contentType(ContentType.JSON).body(body).post("/agent/reports").then().statusCode(401);

        assertThat(value("vdso_reports_total{result=\"accepted\"}")).isEqualTo(accepted + 1);
        assertThat(value("vdso_reports_total{result=\"duplicate\"}")).isEqualTo(duplicate + 1);
        assertThat(value("vdso_reports_total{result=\"rejected\"}")).isEqualTo(rejected + 1);
        assertThat(value("vdso_ingest_duration_seconds_count")).isEqualTo(timed + 3);
        assertThat(scrape()).contains("vdso_reports_total{result=\"throttled\"}", "vdso_reports_total{result=\"error\"}",
                "vdso_ingest_duration_seconds_bucket{le=");
    }

    @Test
    void httpServerRequestsWhenReportsAndEnrollsThenOnlyTheEnrollsObserved() {
        Agent agent = enroll(uniqueKey(), "metrics-2");
        api(agent.nodeKey()).contentType(ContentType.JSON)
                .body(report("metrics-2", "6.1.0", Sha256.of(new byte[] {8}), Map.of())).post("/agent/reports")
                .then().statusCode(200);

        assertThat(scrape().lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")))
                .anyMatch(line -> line.contains("uri=\"/agent/enroll\""))
                .noneMatch(line -> line.contains("uri=\"/agent/reports\""));
    }

    @Test
    void fleetGaugesWhenRefreshedThenHostsAndImagesPerKernelRelease() {
        String release = "6.12.0-" + uniqueKey().substring(0, 8);
        byte[] image = vdsoImage();
        reportImage(enroll(uniqueKey(), "g-1"), "g-1", release, image, Map.of());
        reportImage(enroll(uniqueKey(), "g-2"), "g-2", release, image, Map.of());
        reportImage(enroll(uniqueKey(), "g-3"), "g-3", release, vdsoImage(), Map.of());

        fleetGauges.refresh();

        String cohort = "{arch=\"x86_64\",kernel_release=\"" + release + "\"}";
        assertThat(value("vdso_hosts" + cohort)).isEqualTo(3);
        assertThat(value("vdso_kernel_images" + cohort)).isEqualTo(2);
        assertThat(value("vdso_kernel_releases{arch=\"x86_64\"}")).isPositive();
    }

    private String scrape() {
        return given().port(port).get("/actuator/prometheus").then().statusCode(200).extract().asString();
    }

    /** The value of one series in the Prometheus text format (0 when absent). */
    private double value(String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape());
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
