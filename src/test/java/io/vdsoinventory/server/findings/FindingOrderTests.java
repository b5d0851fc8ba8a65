package io.vdsoinventory.server.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import io.vdsoinventory.server.ServiceTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /findings}: the most severe first, then the newest, paged on that order; {@code minSeverity}. */
class FindingOrderTests extends ServiceTestSupport {

    @Test
    void findingsWhenPagedThenBySeverityThenNewestFirstEachOnce() {
        Agent host = reportedHost("ordered-" + uniqueKey(), uniqueKey());
        long oldCritical = finding(host, "PEER_MISMATCH", "CRITICAL", "3 hours");
        long silent = finding(host, "HOST_SILENT", "LOW", "1 minute");
        long newCritical = finding(host, "CHANGED_WITHOUT_REBOOT", "CRITICAL", "1 hour");
        long medium = finding(host, "STRUCTURAL_ANOMALY", "MEDIUM", "2 hours");
        long drift = finding(host, "KERNEL_DRIFT", "INFO", "0 seconds");
        String viewer = token("VIEWER");

        List<Long> expected = List.of(newCritical, oldCritical, medium, silent, drift);
        assertThat(ids(viewer, Map.of("host", Long.toString(host.hostId())))).isEqualTo(expected);
        assertThat(pagedIds(viewer, host.hostId())).isEqualTo(expected);
        assertThat(ids(viewer, Map.of("host", Long.toString(host.hostId()), "minSeverity", "MEDIUM")))
                .containsExactly(newCritical, oldCritical, medium);
    }

    @Test
    void findingsWhenMinSeverityOrKindIsNoValueThen400ListingTheValidValues() {
        String viewer = token("VIEWER");
        api(viewer).queryParam("minSeverity", "URGENT").get("/findings").then().statusCode(400)
                .contentType("application/problem+json").body("parameter", equalTo("minSeverity"))
                .body("detail", containsString("INFO, LOW, MEDIUM, HIGH, CRITICAL"));
        api(viewer).queryParam("kind", "NOPE").get("/findings").then().statusCode(400)
                .body("parameter", equalTo("kind")).body("detail", containsString("HOST_SILENT"));
        api(viewer).queryParam("cursor", "MTIz").get("/findings").then().statusCode(400)
                .body("parameter", equalTo("cursor"));
    }

    private long finding(Agent host, String kind, String severity, String age) {
        return jdbc.sql("""
                INSERT INTO findings (host_id, kind, severity, status, opened_at)
                VALUES (:h, :kind, :severity, 'OPEN', now() - CAST(:age AS interval)) RETURNING id
                """)
                .param("h", host.hostId()).param("kind", kind).param("severity", severity).param("age", age)
                .query(Long.class).single();
    }

    private List<Long> ids(String viewer, Map<String, String> filters) {
        return api(viewer).queryParams(filters).get("/findings").then().statusCode(200).extract().jsonPath()
                .getList("items.id", Long.class);
    }

    private List<Long> pagedIds(String viewer, long hostId) {
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        do {
            var request = api(viewer).queryParam("host", hostId).queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/findings").then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("items.id", Long.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return ids;
    }
}
