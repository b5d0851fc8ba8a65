package io.vdsoinventory.server.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.vdso.VdsoImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The baseline rules of docs/detection.md ("Baselines and admin decisions"), host by host through the API: an
 * admin's verdict on an image never clears a finding about other bytes, a blocked image is a finding of its own,
 * a cohort without a baseline keeps what it found, a tampered majority never outvotes a trusted image, and every
 * verdict is on the timeline of the hosts running the image.
 */
class BaselineRulesTests extends DetectionTestSupport {

    /** The stock image of a build, and a copy with one code byte flipped. */
    private record Build(byte[] stock, byte[] tampered, long flipped) {

        static Build of(byte[] buildId) {
            ElfImageBuilder.Image image = catalogBuilder("x86_64", buildId).build();
            byte[] tampered = image.bytes().clone();
            long flipped = image.section(".text").offset() + 8;
            tampered[(int) flipped] ^= (byte) 0xff;
            return new Build(image.bytes(), tampered, flipped);
        }
    }

    private Kernel kernel;
    private Build build;

    /** Each test's own fleet, kernel identity and build, so cohorts never mix across tests. */
    @BeforeEach
    void fleet() {
        fleet = uniqueKey();
        kernel = kernel("x86_64");
        build = Build.of(randomBuildId());
    }

    @Test
    void blockWhenTheStockImageIsBlockedThenTheTamperedHostKeepsItsFindingAndTheStockHostIsFlagged() {
        Agent stock = running(build.stock(), "stock").get(0);
        verdict(build.stock(), "TRUSTED", "vendor build");
        Agent tampered = running(build.tampered(), "tampered").get(0);
        JsonPath mismatch = onlyFinding(tampered, FindingKind.PEER_MISMATCH);
        long findingId = mismatch.getLong("id");
        assertThat(mismatch.getList("evidence.diff.differingRanges", String.class))
                .containsExactly(String.format("0x%x-0x%x", build.flipped(), build.flipped() + 1));

        verdict(build.stock(), "BLOCKED", "vulnerable kernel build, retired");

        JsonPath kept = onlyFinding(tampered, FindingKind.PEER_MISMATCH);
        assertThat(kept.getLong("id")).isEqualTo(findingId);
        assertThat(kept.getString("status")).isEqualTo("OPEN");
        assertThat(kept.getList("evidence.baseline", String.class)).containsExactly(normalized(build.stock()));
        assertThat(eventKinds(tampered)).doesNotContain("FINDING_RESOLVED");
        JsonPath blocked = onlyFinding(stock, FindingKind.BLOCKED_IMAGE);
        assertThat(blocked.getString("severity")).isEqualTo("HIGH");
        assertThat(blocked.getString("evidence.note")).isEqualTo("vulnerable kernel build, retired");
        assertThat(hostIds(Map.of("findingKind", "BLOCKED_IMAGE"))).containsExactly(stock.hostId());
        assertThat(hostIds(Map.of("flagged", "true"))).containsExactly(stock.hostId(), tampered.hostId());
    }

    @Test
    void majorityWhenThreeTamperedHostsOutnumberATrustedStockHostThenTheThreeAreFlaggedBeforeAndAfterABlock() {
        List<Agent> tampered = running(build.tampered(), "t1", "t2", "t3");
        Agent stock = running(build.stock(), "stock").get(0);
        assertThat(onlyFinding(stock, FindingKind.PEER_MISMATCH).getString("evidence.baselineSource"))
                .as("without a decision, three agreeing hosts are the majority")
                .isEqualTo("MAJORITY");

        verdict(build.stock(), "TRUSTED", "vendor build");

        assertThat(openKinds(stock)).isEmpty();
        for (Agent host : tampered) {
            assertThat(onlyFinding(host, FindingKind.PEER_MISMATCH).getString("evidence.baselineSource"))
                    .isEqualTo("TRUSTED");
        }

        verdict(build.stock(), "BLOCKED", "retired");

        assertThat(openKinds(stock)).as("the tampered majority does not become the baseline by count")
                .containsExactly("BLOCKED_IMAGE");
        assertThat(hostIds(Map.of("findingKind", "PEER_MISMATCH")))
                .containsExactlyElementsOf(tampered.stream().map(Agent::hostId).toList());
    }

    @Test
    void quorumWhenTheMajorityBaselineIsLostThenTheDifferingHostKeepsItsFindingUntilAnAdminTrustsItsBytes() {
        List<Agent> stock = running(build.stock(), "s1", "s2", "s3");
        Agent tampered = running(build.tampered(), "tampered").get(0);
        long findingId = onlyFinding(tampered, FindingKind.PEER_MISMATCH).getLong("id");

        Kernel upgraded = kernel("x86_64");
        byte[] newBuild = catalogImage("x86_64", randomBuildId());
        report(stock.get(0), upgraded, newBuild);
        report(stock.get(1), upgraded, newBuild);
        // the last stock host's reboot re-evaluates the cohort: one host is below the quorum
        report(stock.get(2), kernel.rebooted(uniqueKey()), build.stock());

        assertThat(onlyFinding(tampered, FindingKind.PEER_MISMATCH).getLong("id"))
                .as("one stock host is below the quorum: no baseline, but the bytes still differ from the last one")
                .isEqualTo(findingId);

        verdict(build.stock(), "TRUSTED", "vendor build");
        assertThat(onlyFinding(tampered, FindingKind.PEER_MISMATCH).getLong("id")).isEqualTo(findingId);

        verdict(build.tampered(), "TRUSTED", "our own hot-patched build");
        assertResolvedAndNothingOpen(tampered, FindingKind.PEER_MISMATCH);
    }

    @Test
    void timelineWhenAnAdminTrustsOrBlocksAnImageThenEveryHostRunningItRecordsWhoDecidedWhat() {
        List<Agent> stock = running(build.stock(), "first", "second");
        Agent other = running(build.tampered(), "other").get(0);

        verdict(build.stock(), "TRUSTED", "vendor build");
        verdict(build.stock(), "BLOCKED", "retired");

        for (Agent host : stock) {
            JsonPath events = events(host);
            assertThat(events.getList("items.findAll { it.kind == 'IMAGE_TRUST_DECIDED' }.detail.verdict", String.class))
                    .containsExactly("TRUSTED", "BLOCKED");
            assertThat(events.getList("items.findAll { it.kind == 'IMAGE_TRUST_DECIDED' }.detail.note", String.class))
                    .containsExactly("vendor build", "retired");
            assertThat(events.getString("items.find { it.kind == 'IMAGE_TRUST_DECIDED' }.detail.by")).startsWith("admin");
            assertThat(events.getString("items.find { it.kind == 'IMAGE_TRUST_DECIDED' }.detail.normalizedSha256"))
                    .isEqualTo(normalized(build.stock()));
        }
        assertThat(eventKinds(other)).doesNotContain("IMAGE_TRUST_DECIDED");
    }

    /** New hosts of the fleet, each reporting {@code image}. */
    private List<Agent> running(byte[] image, String... names) {
        List<Agent> hosts = java.util.Arrays.stream(names).map(this::host).toList();
        hosts.forEach(host -> report(host, kernel, image));
        return hosts;
    }

    private void verdict(byte[] image, String verdict, String note) {
        api(adminToken()).contentType(ContentType.JSON).body(Map.of("verdict", verdict, "note", note))
                .put("/images/{sha}/trust", Sha256.of(image))
                .then().statusCode(200);
    }

    private JsonPath events(Agent host) {
        return api(token("VIEWER")).queryParam("limit", 1000).get("/hosts/{id}/events", host.hostId())
                .then().statusCode(200).extract().jsonPath();
    }

    private static String normalized(byte[] image) {
        try {
            return VdsoImage.analyze(image).normalizedSha256();
        } catch (io.vdsoinventory.elf.ElfFormatException e) {
            throw new IllegalStateException(e);
        }
    }
}
