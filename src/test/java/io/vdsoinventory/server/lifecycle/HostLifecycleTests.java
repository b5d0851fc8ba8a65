package io.vdsoinventory.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vdsoinventory.server.ServiceTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Retiring hosts through the API, their return at enrolment, and the automatic retirement after a silence. */
class HostLifecycleTests extends ServiceTestSupport {

    @Autowired
    private RetirementSweep sweep;

    @Test
    void retireWhenAdminGivesAReasonThenAuditedKeyRevokedAndHiddenFromDefaultLists() {
        String fleet = uniqueKey();
        Agent gone = reportedHost("gone-" + fleet, fleet);
        Agent kept = reportedHost("kept-" + fleet, fleet);
        String viewer = token("VIEWER");

        retire(adminToken(), gone.hostId(), "decommissioned in rack 4").then().statusCode(200)
                .body("hostId", equalTo((int) gone.hostId())).body("retiredBy", equalTo("admin (admin-token)"))
                .body("reason", equalTo("decommissioned in rack 4"));

        assertThat(hostIds(viewer, Map.of("label", "fleet=" + fleet))).containsExactly(kept.hostId());
        assertThat(hostIds(viewer, Map.of("label", "fleet=" + fleet, "retired", "false"))).containsExactly(kept.hostId());
        assertThat(hostIds(viewer, Map.of("label", "fleet=" + fleet, "retired", "true"))).containsExactly(gone.hostId());
        api(viewer).get("/hosts/{id}", gone.hostId()).then().statusCode(200)
                .body("retirement.by", equalTo("admin (admin-token)"))
                .body("retirement.reason", equalTo("decommissioned in rack 4"));
        api(viewer).get("/hosts/{id}", kept.hostId()).then().statusCode(200).body("retirement", nullValue());
        Map<String, Object> retired = lastEvent(viewer, gone.hostId());
        assertThat(retired).containsEntry("kind", "RETIRED");
        assertThat(retired.get("detail")).isEqualTo(Map.of("by", "admin (admin-token)",
                "reason", "decommissioned in rack 4", "nodeKeyRevoked", true));
        heartbeat(gone, "gone-" + fleet, fleet).then().statusCode(401);
    }

    @Test
    void retireWhenRetiredAlreadyUnknownHostViewerOrNoReasonThenProblemAndNothingWritten() {
        String fleet = uniqueKey();
        Agent host = reportedHost("twice-" + fleet, fleet);
        retire(adminToken(), host.hostId(), "first").then().statusCode(200);

        retire(adminToken(), host.hostId(), "second").then().statusCode(409).contentType("application/problem+json");
        retire(adminToken(), Long.MAX_VALUE, "none").then().statusCode(404).contentType("application/problem+json");
        Agent active = reportedHost("active-" + fleet, fleet);
        retire(token("VIEWER"), active.hostId(), "not mine").then().statusCode(403);
        retire(adminToken(), active.hostId(), " ").then().statusCode(400).body("parameter", equalTo("reason"));

        assertThat(count("SELECT count(*) FROM host_events WHERE host_id IN (:a, :b) AND kind = 'RETIRED'",
                Map.of("a", host.hostId(), "b", active.hostId()))).isOne();
        assertThat(hostIds(adminToken(), Map.of("label", "fleet=" + fleet))).containsExactly(active.hostId());
    }

    @Test
    void enrolWhenHostRetiredThenBackWithAnEvent() {
        String fleet = uniqueKey();
        String hostKey = uniqueKey();
        Agent first = enroll(hostKey, "returning-" + fleet);
        heartbeat(first, "returning-" + fleet, fleet).then().statusCode(200);
        retire(adminToken(), first.hostId(), "moved to the lab").then().statusCode(200);

        Agent again = enroll(hostKey, "returning-" + fleet);

        assertThat(again.hostId()).isEqualTo(first.hostId());
        String viewer = token("VIEWER");
        assertThat(hostIds(viewer, Map.of("label", "fleet=" + fleet))).containsExactly(first.hostId());
        assertThat(hostIds(viewer, Map.of("label", "fleet=" + fleet, "retired", "true"))).isEmpty();
        api(viewer).get("/hosts/{id}", first.hostId()).then().body("retirement", nullValue());
        List<String> kinds = events(viewer, first.hostId()).getList("items.kind");
        assertThat(kinds.subList(kinds.size() - 3, kinds.size())).containsExactly("RETIRED", "REENROLLED", "UNRETIRED");
        Map<String, Object> back = lastEvent(viewer, first.hostId());
        assertThat(detail(back)).containsEntry("retiredBy", "admin (admin-token)")
                .containsKey("retiredAt");
        heartbeat(again, "returning-" + fleet, fleet).then().statusCode(200);
    }

    @Test
    void sweepWhenHostSilentLongerThanTheRetirementAfterThenRetiredAutomatically() {
        String fleet = uniqueKey();
        Agent silent = reportedHost("silent-" + fleet, fleet);
        Agent recent = reportedHost("recent-" + fleet, fleet);
        jdbc.sql("UPDATE hosts SET last_seen = now() - interval '400 days' WHERE id = :id")
                .param("id", silent.hostId()).update();

        sweep.scheduled();
        assertThat(hostIds(adminToken(), Map.of("label", "fleet=" + fleet, "retired", "true")))
                .as("automatic retirement is off by default").isEmpty();

        assertThat(sweep.sweep(Duration.ofDays(365))).isPositive();

        assertThat(hostIds(adminToken(), Map.of("label", "fleet=" + fleet, "retired", "true")))
                .containsExactly(silent.hostId());
        assertThat(hostIds(adminToken(), Map.of("label", "fleet=" + fleet))).containsExactly(recent.hostId());
        assertThat(detail(lastEvent(adminToken(), silent.hostId())))
                .containsEntry("by", RetirementSweep.BY);
    }

    private Response retire(String bearer, long hostId, String reason) {
        return api(bearer).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/hosts/{id}/retire", hostId);
    }

    private Response heartbeat(Agent agent, String hostname, String fleet) {
        return api(agent.nodeKey()).contentType(ContentType.JSON)
                .body(report(hostname, "6.1.0", "c".repeat(64), Map.of("fleet", fleet))).post("/agent/reports");
    }

    private JsonPath events(String bearer, long hostId) {
        return api(bearer).queryParam("limit", 1000).get("/hosts/{id}/events", hostId).then().statusCode(200)
                .extract().jsonPath();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> event) {
        return (Map<String, Object>) event.get("detail");
    }

    private Map<String, Object> lastEvent(String bearer, long hostId) {
        List<Map<String, Object>> items = events(bearer, hostId).getList("items");
        return items.get(items.size() - 1);
    }
}
