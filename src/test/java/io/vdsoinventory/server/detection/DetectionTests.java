package io.vdsoinventory.server.detection;

import static io.vdsoinventory.testing.AlternativesImage.LFENCE_RDTSC;
import static io.vdsoinventory.testing.AlternativesImage.RDPID;
import static io.vdsoinventory.testing.AlternativesImage.RDTSCP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.testing.AlternativesImage;
import io.vdsoinventory.testing.ElfImageBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detection rules end to end: hosts report images built here, the service judges them, the findings API and
 * the host filters say exactly which hosts are odd. Each test uses its own kernel releases and fleet label, so
 * cohorts never mix across tests.
 */
class DetectionTests extends DetectionTestSupport {

    @Autowired
    private SilenceSweep sweep;

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "i386", "aarch64", "ppc64", "s390x", "riscv64"})
    void cleanCohortWhenEveryHostRunsTheCatalogAbiThenNoFinding(String arch) {
        fleet = uniqueKey();
        Kernel kernel = kernel(arch);
        byte[] image = catalogImage(arch, randomBuildId());
        List<Agent> hosts = List.of(host("a"), host("b"), host("c"), host("d"));
        hosts.forEach(host -> report(host, kernel, image));

        for (Agent host : hosts) {
            assertThat(openKinds(host)).isEmpty();
        }
        assertThat(hostIds(Map.of("flagged", "true"))).isEmpty();
        assertThat(hostIds(Map.of("flagged", "false"))).hasSize(4);
    }

    @Test
    void unknownSymbolWhenImageExportsNumberOfTheBeastThenFlaggedAndFoundBySymbol() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        Agent beast = host("beast");
        Agent clean = host("clean");
        report(beast, kernel, catalogImage("x86_64", randomBuildId(), "number_of_the_beast"));
        report(clean, kernel, catalogImage("x86_64", randomBuildId()));

        JsonPath finding = onlyFinding(beast, FindingKind.UNKNOWN_SYMBOL);
        assertThat(finding.getString("subject")).isEqualTo("number_of_the_beast");
        assertThat(finding.getString("severity")).isEqualTo("HIGH");
        assertThat(finding.getString("evidence.symbol")).isEqualTo("number_of_the_beast");
        assertThat(hostIds(Map.of("symbol", "number_of_the_beast"))).containsExactly(beast.hostId());
        assertThat(hostIds(Map.of("findingKind", "UNKNOWN_SYMBOL"))).containsExactly(beast.hostId());
        assertThat(openKinds(clean)).isEmpty();
        assertThat(eventKinds(beast)).contains("FINDING_OPENED");
    }

    @Test
    void peerMismatchWhenOneHostOfABuildRunsChangedCodeThenOnlyThatHostEvenIfItReportedFirst() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        ElfImageBuilder.Image build = AlternativesImage.x86(AlternativesImage.Layout.X86_14);
        byte[] modernCpu = AlternativesImage.bootedOn(build, site -> site.length() == 5 ? RDTSCP : RDPID);
        byte[] olderCpu = AlternativesImage.bootedOn(build, site -> site.length() == 5 ? LFENCE_RDTSC : null);
        byte[] tampered = modernCpu.clone();
        tampered[(int) build.section(".text").offset() + 0x20] = (byte) 0x90; // outside every patch site
        Agent odd = host("odd");
        report(odd, kernel, tampered);
        assertThat(openKinds(odd)).as("no baseline before the quorum").isEmpty();
        Agent modern1 = host("modern1");
        Agent modern2 = host("modern2");
        Agent older = host("older");
        report(modern1, kernel, modernCpu);
        report(modern2, kernel, modernCpu);
        report(older, kernel, olderCpu);

        JsonPath finding = onlyFinding(odd, FindingKind.PEER_MISMATCH);
        assertThat(finding.getString("evidence.cohort")).isEqualTo("vDSO build-id");
        assertThat(finding.getString("evidence.baselineSource")).isEqualTo("MAJORITY");
        assertThat(finding.getList("evidence.peers", Long.class)).contains(modern1.hostId(), older.hostId());
        long changed = build.section(".text").offset() + 0x20;
        assertThat(finding.getList("evidence.diff.differingRanges", String.class))
                .as("the patch sites differ between CPUs too, but only the changed byte is named")
                .containsExactly(String.format("0x%x-0x%x", changed, changed + 1));
        assertThat(hostIds(Map.of("findingKind", "PEER_MISMATCH"))).containsExactly(odd.hostId());
        assertThat(hostIds(Map.of("flagged", "true"))).containsExactly(odd.hostId());
    }

    @Test
    void peerMismatchWhenACustomBuildClaimsAStockKernelIdentity() {
        fleet = uniqueKey();
        Kernel kernel = kernel("aarch64");
        byte[] stock = catalogImage("aarch64", randomBuildId());
        List<Agent> stockHosts = List.of(host("s1"), host("s2"), host("s3"));
        stockHosts.forEach(host -> report(host, kernel, stock));
        Agent custom = host("custom");
        report(custom, kernel, catalogImage("aarch64", randomBuildId()));

        JsonPath finding = onlyFinding(custom, FindingKind.PEER_MISMATCH);
        assertThat(finding.getString("evidence.cohort")).isEqualTo("kernel identity");
        assertThat(finding.getString("evidence.kernel.release")).isEqualTo(kernel.release());
        assertThat(hostIds(Map.of("findingKind", "PEER_MISMATCH"))).containsExactly(custom.hostId());
    }

    @Test
    void changedWithoutRebootWhenTheImageChangesUnderOneBootIdThenResolvedByAReboot() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        Agent host = host("cwr");
        report(host, kernel, catalogImage("x86_64", randomBuildId()));
        report(host, kernel, catalogImage("x86_64", randomBuildId()));

        JsonPath finding = onlyFinding(host, FindingKind.CHANGED_WITHOUT_REBOOT);
        assertThat(finding.getString("severity")).isEqualTo("CRITICAL");
        assertThat(finding.getString("subject")).isEqualTo(kernel.bootId());

        report(host, kernel.rebooted(UUID.randomUUID().toString()), catalogImage("x86_64", randomBuildId()));
        assertThat(openKinds(host)).containsExactly(FindingKind.KERNEL_DRIFT.name());
        assertThat(eventKinds(host)).contains("FINDING_RESOLVED");
    }

    @Test
    void structuralAnomalyWhenBytesAreHiddenAfterTheElfExtent() {
        fleet = uniqueKey();
        ElfImageBuilder.Image padded = catalogBuilder("x86_64", randomBuildId()).pagePadding(8192).build();
        byte[] hidden = padded.copy();
        hidden[(int) padded.elfExtent() + 64] = (byte) 0xc3;
        Agent host = host("hidden");
        report(host, kernel("x86_64"), hidden);

        JsonPath finding = onlyFinding(host, FindingKind.STRUCTURAL_ANOMALY);
        assertThat(finding.getString("subject")).isEqualTo("HIDDEN_BYTES");
        assertThat(finding.getString("evidence.details[0]")).contains("non-zero");
    }

    @Test
    void kernelDriftOnlyWhenTheKernelIsUpgradedAcrossAReboot() {
        fleet = uniqueKey();
        Agent host = host("upgrade");
        report(host, kernel("x86_64"), catalogImage("x86_64", randomBuildId()));
        double drifts = metric("vdso_kernel_drift_events_total{arch=\"x86_64\"}");

        report(host, kernel("x86_64"), catalogImage("x86_64", randomBuildId()));

        JsonPath finding = onlyFinding(host, FindingKind.KERNEL_DRIFT);
        assertThat(finding.getString("severity")).isEqualTo("INFO");
        assertThat(metric("vdso_kernel_drift_events_total{arch=\"x86_64\"}")).isEqualTo(drifts + 1);
    }

    @Test
    void hostSilentWhenPastItsDeadlineThenOpenedBySweepAndResolvedByItsNextReport() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        Agent host = host("silent");
        report(host, kernel, catalogImage("x86_64", randomBuildId()));
        Kernel rebooted = kernel.rebooted(UUID.randomUUID().toString());
        byte[] upgraded = catalogImage("x86_64", randomBuildId());
        report(host, rebooted, upgraded);
        jdbc.sql("UPDATE hosts SET last_seen = now() - interval '1 hour' WHERE id = :id").param("id", host.hostId()).update();
        jdbc.sql("UPDATE findings SET opened_at = now() - interval '2 days' WHERE host_id = :id AND kind = 'KERNEL_DRIFT'")
                .param("id", host.hostId()).update();

        assertThat(sweep.sweep()).isGreaterThanOrEqualTo(2);

        JsonPath silent = onlyFinding(host, FindingKind.HOST_SILENT);
        assertThat(silent.getString("severity")).isEqualTo("LOW");
        report(host, rebooted, upgraded);
        assertResolvedAndNothingOpen(host, FindingKind.HOST_SILENT);
    }

    @Test
    void noVdsoAndProcessMismatchWhenReportedThenOpenedNamingProcessesAndResolvedWhenCleared() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        Agent host = host("scan");
        report(host, kernel, null);
        assertThat(openKinds(host)).containsExactly("NO_VDSO");

        byte[] image = catalogImage("x86_64", randomBuildId());
        Map<String, Object> injected = process(4242, "nginx", "__vdso_clock_gettime");
        send(host, kernel, image, scan(40, List.of(injected, process(77, "sshd", "<outside symbols>"))), null);
        JsonPath finding = onlyFinding(host, FindingKind.PROCESS_VDSO_MISMATCH);
        assertThat(finding.getString("severity")).isEqualTo("CRITICAL");
        assertThat(finding.getInt("evidence.mismatches")).isEqualTo(2);
        assertThat(finding.getList("evidence.processes.pid", Integer.class)).containsExactly(4242, 77);
        assertThat(finding.getString("evidence.processes[0].command")).isEqualTo("nginx");
        assertThat(finding.getString("evidence.processes[0].executable")).isEqualTo("/usr/sbin/nginx");
        assertThat(finding.getString("evidence.processes[0].container")).isEqualTo("0::/system.slice/nginx.service");
        assertThat(finding.getList("evidence.processes[0].symbols", String.class))
                .containsExactly("__vdso_clock_gettime");
        assertThat(finding.getBoolean("evidence.truncated")).isFalse();
        assertThat(api(token("VIEWER")).get("/hosts/{id}", host.hostId()).then().statusCode(200).extract().jsonPath()
                .getList("processScan.processes.pid", Integer.class)).containsExactly(4242, 77);
        List<String> eventsBefore = eventKinds(host);

        send(host, kernel, image, scan(41, List.of(injected, process(77, "sshd", "<outside symbols>"))), null);
        assertThat(onlyFinding(host, FindingKind.PROCESS_VDSO_MISMATCH).getString("updatedAt"))
                .as("the same processes differ: the heartbeat changes nothing")
                .isEqualTo(finding.getString("updatedAt"));
        assertThat(eventKinds(host)).isEqualTo(eventsBefore);

        send(host, kernel, image, scan(41, List.of(injected)), null);
        JsonPath refreshed = onlyFinding(host, FindingKind.PROCESS_VDSO_MISMATCH);
        assertThat(refreshed.getLong("id")).isEqualTo(finding.getLong("id"));
        assertThat(refreshed.getList("evidence.processes.pid", Integer.class)).containsExactly(4242);

        send(host, kernel, image, scan(40, List.of()), null);
        assertResolvedAndNothingOpen(host, FindingKind.PROCESS_VDSO_MISMATCH);
    }

    @Test
    void processMismatchWhenMoreProcessesDifferThanListedThenEvidenceSaysTruncated() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        Agent host = host("many");
        List<Map<String, Object>> listed = new ArrayList<>();
        for (int pid = 100; pid < 132; pid++) {
            listed.add(process(pid, "worker", "__vdso_time"));
        }
        Map<String, Object> summary = scan(500, listed);
        summary.put("mismatches", 90);
        summary.put("truncated", true);
        send(host, kernel, catalogImage("x86_64", randomBuildId()), summary, null);

        JsonPath finding = onlyFinding(host, FindingKind.PROCESS_VDSO_MISMATCH);
        assertThat(finding.getInt("evidence.mismatches")).isEqualTo(90);
        assertThat(finding.getList("evidence.processes")).hasSize(32);
        assertThat(finding.getBoolean("evidence.truncated")).isTrue();
    }

    @Test
    void clockMismatchWhenTheVdsoClockIsOffBeyondTheToleranceThenCriticalAndResolvedWhenConsistent() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        Agent host = host("clock");
        byte[] image = catalogImage("x86_64", randomBuildId());
        send(host, kernel, image, null, List.of(reading("CLOCK_REALTIME", 180_000_000L, false),
                reading("CLOCK_MONOTONIC", 900, true)));
        assertThat(openKinds(host)).as("within the 250 ms tolerance").isEmpty();

        send(host, kernel, image, null, List.of(reading("CLOCK_REALTIME", -3_600_000_000_000L, false),
                reading("CLOCK_MONOTONIC", 1_200, true)));
        JsonPath finding = onlyFinding(host, FindingKind.VDSO_CLOCK_MISMATCH);
        assertThat(finding.getString("severity")).isEqualTo("CRITICAL");
        assertThat(finding.getLong("evidence.toleranceNanos")).isEqualTo(250_000_000L);
        assertThat(finding.getList("evidence.readings.clock", String.class))
                .containsExactly("CLOCK_REALTIME", "CLOCK_MONOTONIC");
        assertThat(finding.getLong("evidence.readings[0].differenceNanos")).isEqualTo(-3_600_000_000_000L);
        assertThat(hostIds(Map.of("findingKind", "VDSO_CLOCK_MISMATCH"))).containsExactly(host.hostId());

        send(host, kernel, image, null, null);
        assertThat(openKinds(host)).as("a report without a clock check judges nothing")
                .containsExactly("VDSO_CLOCK_MISMATCH");
        send(host, kernel, image, null, List.of(reading("CLOCK_REALTIME", 400, true),
                reading("CLOCK_MONOTONIC", 300, true)));
        assertResolvedAndNothingOpen(host, FindingKind.VDSO_CLOCK_MISMATCH);
    }

    @Test
    void reportWhenProcessListOrClockCheckInvalidThen400NamingTheField() {
        fleet = uniqueKey();
        Agent host = host("invalid");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int pid = 1; pid <= 33; pid++) {
            tooMany.add(process(pid, "worker", "__vdso_time"));
        }
        Map<String, Object> oversize = body(host, kernel("x86_64"), null);
        oversize.put("processScan", scan(40, tooMany));
        api(host.nodeKey()).contentType(ContentType.JSON).body(oversize).post("/agent/reports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo("processScan.processes"));

        Map<String, Object> badSymbol = body(host, kernel("x86_64"), null);
        badSymbol.put("processScan", scan(40, List.of(process(5, "worker", "x".repeat(257)))));
        api(host.nodeKey()).contentType(ContentType.JSON).body(badSymbol).post("/agent/reports")
                .then().statusCode(400).contentType("application/problem+json");

        Map<String, Object> badClock = body(host, kernel("x86_64"), null);
        badClock.put("clockCheck", List.of(reading("realtime; DROP TABLE", 1, true)));
        api(host.nodeKey()).contentType(ContentType.JSON).body(badClock).post("/agent/reports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", equalTo("clockCheck[0].clock"));
        assertThat(eventKinds(host)).containsExactly("ENROLLED");
    }

    @Test
    void suppressWhenAdminGivesAReasonThenAuditedUnflaggedAndResolvedWhenTheConditionClears() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        Agent host = host("suppressed");
        report(host, kernel, catalogImage("x86_64", randomBuildId(), "number_of_the_beast"));
        long id = onlyFinding(host, FindingKind.UNKNOWN_SYMBOL).getLong("id");

        api(token("VIEWER")).contentType(ContentType.JSON).body(Map.of("reason", "x")).post("/findings/{id}/suppress", id)
                .then().statusCode(403);
        api(adminToken()).contentType(ContentType.JSON).body(Map.of("reason", " ")).post("/findings/{id}/suppress", id)
                .then().statusCode(400);
        api(adminToken()).contentType(ContentType.JSON).body(Map.of("reason", "lab kernel, ticket SEC-42"))
                .post("/findings/{id}/suppress", id)
                .then().statusCode(200)
                .body("status", equalTo("SUPPRESSED"))
                .body("suppression.reason", equalTo("lab kernel, ticket SEC-42"))
                .body("suppression.by", org.hamcrest.Matchers.startsWith("admin"));
        api(adminToken()).contentType(ContentType.JSON).body(Map.of("reason", "again"))
                .post("/findings/{id}/suppress", id).then().statusCode(409);
        assertThat(hostIds(Map.of("flagged", "true"))).isEmpty();
        assertThat(eventKinds(host)).contains("FINDING_SUPPRESSED");

        report(host, kernel.rebooted(UUID.randomUUID().toString()), catalogImage("x86_64", randomBuildId()));
        JsonPath resolved = findings(Map.of("host", Long.toString(host.hostId()), "kind", "UNKNOWN_SYMBOL"));
        assertThat(resolved.getList("items.status", String.class)).containsExactly("RESOLVED");
        assertThat(resolved.getString("items[0].suppression.reason")).isEqualTo("lab kernel, ticket SEC-42");
    }

    @Test
    void trustWhenAdminTrustsAMinorityImageThenTheCohortIsReEvaluatedAgainstIt() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        byte[] buildId = randomBuildId();
        byte[] common = catalogImage("x86_64", buildId);
        byte[] rare = catalogImage("x86_64", buildId, "__vdso_sgx_enter_enclave");
        Agent c1 = host("c1");
        Agent c2 = host("c2");
        Agent r1 = host("r1");
        report(c1, kernel, common);
        report(c2, kernel, common);
        report(r1, kernel, rare);
        assertThat(hostIds(Map.of("flagged", "true"))).as("two of three is below the quorum").isEmpty();

        api(adminToken()).contentType(ContentType.JSON).body(Map.of("verdict", "TRUSTED", "note", "vendor build"))
                .put("/images/{sha}/trust", Sha256.of(rare))
                .then().statusCode(200).body("verdict", equalTo("TRUSTED")).body("decidedBy", org.hamcrest.Matchers.startsWith("admin"));
        assertThat(hostIds(Map.of("findingKind", "PEER_MISMATCH"))).containsExactly(c1.hostId(), c2.hostId());

        api(adminToken()).contentType(ContentType.JSON).body(Map.of("verdict", "BLOCKED", "note", "revoked"))
                .put("/images/{sha}/trust", Sha256.of(rare)).then().statusCode(200);
        assertThat(hostIds(Map.of("findingKind", "PEER_MISMATCH")))
                .as("blocking the baseline says nothing about the bytes that differ from it")
                .containsExactly(c1.hostId(), c2.hostId());
        assertThat(hostIds(Map.of("findingKind", "BLOCKED_IMAGE"))).containsExactly(r1.hostId());
        api(adminToken()).contentType(ContentType.JSON).body(Map.of("verdict", "TRUSTED", "note", "x"))
                .put("/images/{sha}/trust", "0".repeat(64)).then().statusCode(404);
    }

    @Test
    void referenceWhenImportedForAKernelIdentityThenAnyOtherBuildUnderItIsAMismatch() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        ElfImageBuilder.Image reference = catalogBuilder("x86_64", randomBuildId()).build();
        api(adminToken()).contentType("application/octet-stream").body(reference.bytes())
                .queryParam("kernelRelease", kernel.release()).queryParam("kernelVersion", kernel.version())
                .queryParam("arch", kernel.arch())
                .post("/images/reference")
                .then().statusCode(201).body("trust.verdict", equalTo("TRUSTED"));
        Agent live = host("live");
        Agent other = host("other");
        report(live, kernel, catalogBuilder("x86_64", buildIdOf(reference.bytes())).pagePadding(8192).build().bytes());
        report(other, kernel, catalogImage("x86_64", randomBuildId()));

        assertThat(openKinds(live)).isEmpty();
        assertThat(onlyFinding(other, FindingKind.PEER_MISMATCH).getString("evidence.baselineSource"))
                .isEqualTo("TRUSTED");
        api(adminToken()).contentType("application/octet-stream").body(new byte[] {1, 2, 3})
                .queryParam("kernelRelease", "x").queryParam("kernelVersion", "y").queryParam("arch", "z")
                .post("/images/reference").then().statusCode(422);
    }

    @Test
    void findingsWhenFilteredAndPagedThenEveryMatchOnce() {
        fleet = uniqueKey();
        Kernel kernel = kernel("x86_64");
        for (int i = 0; i < 3; i++) {
            report(host("p" + i), kernel, catalogImage("x86_64", randomBuildId(), "number_of_the_beast", "evil_" + i));
        }
        String viewer = token("VIEWER");
        JsonPath first = api(viewer).queryParam("kind", "UNKNOWN_SYMBOL").queryParam("status", "OPEN")
                .queryParam("severity", "HIGH").queryParam("limit", 1000).get("/findings")
                .then().statusCode(200).extract().jsonPath();
        List<String> hostnames = first.getList("items.hostname", String.class);
        assertThat(hostnames.stream().filter(h -> h.endsWith(fleet))).hasSize(6);
        JsonPath page = api(viewer).queryParam("limit", 2).get("/findings").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("items")).hasSize(2);
        api(viewer).queryParam("cursor", page.getString("nextCursor")).get("/findings").then().statusCode(200);
        api(viewer).queryParam("kind", "NOPE").get("/findings").then().statusCode(400).body("parameter", equalTo("kind"));
    }

    @Test
    void webhookWhenAFindingOpensThenPostedSignedAndRetriedAfterAFailure() throws InterruptedException {
        fleet = uniqueKey();
        Agent host = host("hooked");
        String marker = "\"hostId\":" + host.hostId() + ",";
        WEBHOOKS.failOnce(marker);
        report(host, kernel("x86_64"), catalogImage("x86_64", randomBuildId(), "number_of_the_beast"));

        long deadline = System.nanoTime() + 15_000_000_000L;
        while (WEBHOOKS.deliveriesContaining(marker).stream().noneMatch(d -> d.answered() == 200)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<io.vdsoinventory.server.WebhookReceiver.Delivery> deliveries = WEBHOOKS.deliveriesContaining(marker);
        assertThat(deliveries).extracting(io.vdsoinventory.server.WebhookReceiver.Delivery::answered)
                .containsExactly(500, 200);
        assertThat(deliveries).allMatch(io.vdsoinventory.server.WebhookReceiver.Delivery::signedCorrectly);
        assertThat(deliveries.get(1).body()).contains("\"kind\":\"UNKNOWN_SYMBOL\"", "number_of_the_beast");
    }
}
