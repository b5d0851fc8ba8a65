package io.vdsoinventory.server.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import io.vdsoinventory.server.fleet.FindingKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A process scan's coverage through the API: an unprivileged scan that could not read most processes is shown as
 * incomplete on the host and in {@code /hosts?scan=}, is a finding of its own, and never clears a process
 * mismatch; an older agent's summary without the coverage fields is still accepted.
 */
class ScanCoverageTests extends DetectionTestSupport {

    private Kernel kernel;
    private byte[] image;

    @BeforeEach
    void fleet() {
        fleet = uniqueKey();
        kernel = kernel("x86_64");
        image = catalogImage("x86_64", randomBuildId());
    }

    @Test
    void scanWhenAnUnprivilegedAgentCouldNotReadMostProcessesThenIncompleteOnTheHostAndAFindingUntilAFullScan() {
        Agent host = host("unprivileged");

        send(host, kernel, image, unprivileged(1, 73), null);

        JsonPath shown = hostView(host);
        assertThat(shown.getInt("processScan.processesScanned")).isEqualTo(1);
        assertThat(shown.getInt("processScan.unreadable")).isEqualTo(73);
        assertThat(shown.getBoolean("processScan.privileged")).isFalse();
        assertThat(shown.getBoolean("processScan.complete")).isFalse();
        JsonPath listed = hosts(Map.of("scan", "incomplete"));
        assertThat(listed.getList("items.id", Long.class)).containsExactly(host.hostId());
        assertThat(listed.getBoolean("items[0].processScan.complete")).isFalse();
        assertThat(hostIds(Map.of("scan", "complete"))).isEmpty();
        JsonPath finding = onlyFinding(host, FindingKind.INCOMPLETE_SCAN);
        assertThat(finding.getString("severity")).isEqualTo("LOW");
        assertThat(finding.getInt("evidence.unreadable")).isEqualTo(73);
        assertThat(finding.getInt("evidence.processesScanned")).isEqualTo(1);
        assertThat(finding.getBoolean("evidence.privileged")).isFalse();

        send(host, kernel, image, scan(74, List.of()), null);

        assertResolvedAndNothingOpen(host, FindingKind.INCOMPLETE_SCAN);
        assertThat(hostView(host).getBoolean("processScan.complete")).isTrue();
        assertThat(hostIds(Map.of("scan", "complete"))).containsExactly(host.hostId());
        assertThat(hostIds(Map.of("scan", "incomplete"))).isEmpty();
    }

    @Test
    void scanWhenAProcessMismatchIsOpenThenAnIncompleteScanWithoutMismatchesLeavesItOpen() {
        Agent host = host("patched");
        send(host, kernel, image, scan(40, List.of(process(4242, "nginx", "__vdso_clock_gettime"))), null);
        long mismatch = onlyFinding(host, FindingKind.PROCESS_VDSO_MISMATCH).getLong("id");

        send(host, kernel, image, unprivileged(2, 38), null);

        assertThat(openKinds(host)).as("two processes read say nothing of the 38 others")
                .containsExactlyInAnyOrder("PROCESS_VDSO_MISMATCH", "INCOMPLETE_SCAN");
        assertThat(findings(Map.of("host", Long.toString(host.hostId()), "kind", "PROCESS_VDSO_MISMATCH",
                "status", "OPEN")).getLong("items[0].id")).isEqualTo(mismatch);

        send(host, kernel, image, scan(40, List.of()), null);
        assertThat(openKinds(host)).isEmpty();
    }

    @Test
    void scanWhenAnOlderAgentSendsNoCoverageThenAcceptedShownAsUnknownAndNoFinding() {
        Agent host = host("older");

        send(host, kernel, image, Map.of("processesScanned", 40, "mismatches", 0), null);

        assertThat(hostView(host).getString("processScan.complete")).isNull();
        assertThat(hostIds(Map.of("scan", "unknown"))).containsExactly(host.hostId());
        assertThat(openKinds(host)).isEmpty();
        Agent unscanned = host("unscanned");
        report(unscanned, kernel, image);
        assertThat(hostIds(Map.of("scan", "none"))).containsExactly(unscanned.hostId());
        api(token("VIEWER")).queryParam("scan", "partial").get("/hosts")
                .then().statusCode(400).body("parameter", equalTo("scan"))
                .body("detail", endsWith("valid values: complete, incomplete, unknown, none"));
    }

    /** What an agent without CAP_SYS_PTRACE reports: a few processes read, the others not. */
    private static Map<String, Object> unprivileged(int scanned, int unreadable) {
        Map<String, Object> scan = scan(scanned, List.of());
        scan.put("unreadable", unreadable);
        scan.put("privileged", false);
        return scan;
    }

    private JsonPath hostView(Agent host) {
        return api(token("VIEWER")).get("/hosts/{id}", host.hostId()).then().statusCode(200).extract().jsonPath();
    }

    private JsonPath hosts(Map<String, String> filters) {
        return api(token("VIEWER")).queryParams(filters).queryParam("label", "fleet=" + fleet).get("/hosts")
                .then().statusCode(200).extract().jsonPath();
    }
}
