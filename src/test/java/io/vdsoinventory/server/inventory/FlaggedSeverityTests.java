package io.vdsoinventory.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.vdsoinventory.server.ServiceTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code flagged} means an open finding of at least medium severity, unless {@code minSeverity} says otherwise. */
class FlaggedSeverityTests extends ServiceTestSupport {

    @Test
    void hostsWhenOnlyLowOrInfoFindingsThenNotFlaggedUnlessMinSeverityAsks() {
        String fleet = uniqueKey();
        Agent silent = hostWith(fleet, "HOST_SILENT", "LOW");
        Agent drifted = hostWith(fleet, "KERNEL_DRIFT", "INFO");
        Agent odd = hostWith(fleet, "STRUCTURAL_ANOMALY", "MEDIUM");
        Agent tampered = hostWith(fleet, "PEER_MISMATCH", "CRITICAL");
        Agent quiet = reportedHost("quiet-" + fleet, fleet);
        String viewer = token("VIEWER");
        String label = "fleet=" + fleet;

        assertThat(hostIds(viewer, Map.of("label", label, "flagged", "true")))
                .containsExactly(odd.hostId(), tampered.hostId());
        assertThat(hostIds(viewer, Map.of("label", label, "flagged", "false")))
                .containsExactly(silent.hostId(), drifted.hostId(), quiet.hostId());
        assertThat(hostIds(viewer, Map.of("label", label, "minSeverity", "LOW")))
                .containsExactly(silent.hostId(), odd.hostId(), tampered.hostId());
        assertThat(hostIds(viewer, Map.of("label", label, "flagged", "true", "minSeverity", "CRITICAL")))
                .containsExactly(tampered.hostId());
        assertThat(hostIds(viewer, Map.of("label", label, "flagged", "false", "minSeverity", "INFO")))
                .containsExactly(quiet.hostId());
    }

    @Test
    void hostsWhenMinSeverityIsNoSeverityThen400ListingTheValidValues() {
        api(token("VIEWER")).queryParam("minSeverity", "SEVERE").get("/hosts").then().statusCode(400)
                .contentType("application/problem+json").body("parameter", equalTo("minSeverity"))
                .body("detail", containsString("INFO, LOW, MEDIUM, HIGH, CRITICAL"));
    }

    /** A reported host with one open finding, written as detection writes it: the filter is tested apart from the rules. */
    private Agent hostWith(String fleet, String kind, String severity) {
        Agent agent = reportedHost(kind + "-" + fleet, fleet);
        jdbc.sql("INSERT INTO findings (host_id, kind, severity, status) VALUES (:h, :kind, :severity, 'OPEN')")
                .param("h", agent.hostId()).param("kind", kind).param("severity", severity).update();
        return agent;
    }
}
