package io.vdsoinventory.server.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.vdsoinventory.server.ServiceTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A retired host is not expected to report: the silence sweep leaves it alone, and retiring resolves HOST_SILENT. */
class RetiredHostSilenceTests extends ServiceTestSupport {

    @Autowired
    private SilenceSweep sweep;

    @Test
    void sweepWhenHostRetiredThenNoHostSilentAndAnOpenOneResolved() {
        String fleet = uniqueKey();
        Agent retiredFirst = reportedHost("retired-" + fleet, fleet);
        Agent silentFirst = reportedHost("silent-" + fleet, fleet);
        retire(retiredFirst.hostId());
        jdbc.sql("UPDATE hosts SET last_seen = now() - interval '1 hour' WHERE id IN (:a, :b)")
                .param("a", retiredFirst.hostId()).param("b", silentFirst.hostId()).update();

        sweep.sweep();

        assertThat(silent(retiredFirst.hostId())).isEmpty();
        assertThat(silent(silentFirst.hostId())).containsExactly("OPEN");

        retire(silentFirst.hostId());

        assertThat(silent(silentFirst.hostId())).containsExactly("RESOLVED");
        sweep.sweep();
        assertThat(silent(silentFirst.hostId())).containsExactly("RESOLVED");
    }

    private void retire(long hostId) {
        api(adminToken()).contentType(ContentType.JSON).body(Map.of("reason", "decommissioned"))
                .post("/hosts/{id}/retire", hostId).then().statusCode(200);
    }

    /** The statuses of the host's HOST_SILENT findings, as {@code GET /findings} lists them. */
    private List<String> silent(long hostId) {
        return api(adminToken()).queryParam("host", hostId).queryParam("kind", "HOST_SILENT").get("/findings")
                .then().statusCode(200).extract().jsonPath().getList("items.status");
    }
}
