package io.vdsoinventory.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.ServiceTestSupport;
import io.vdsoinventory.vdso.ImageFacts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AgentProtocolTests extends ServiceTestSupport {

    private static final byte[] NOT_AN_ELF = "definitely not an ELF image".getBytes(StandardCharsets.US_ASCII);

    @Autowired
    private IngestLimiter limiter;

    @Test
    void enrollWhenSameHostKeyAgainThenSameHostAndNewKeyReplacesTheOld() {
        String hostKey = uniqueKey();
        Agent first = enroll(hostKey, "web-1");
        sendReport(first.nodeKey(), "web-1").then().statusCode(200); // the first key is known, and cached
        Agent again = enroll(hostKey, "web-1");

        assertThat(again.hostId()).isEqualTo(first.hostId());
        assertThat(again.nodeKey()).isNotEqualTo(first.nodeKey());
        assertThat(events(first.hostId())).containsExactly("ENROLLED", "FIRST_REPORT", "REENROLLED");
        sendReport(first.nodeKey(), "web-1").then().statusCode(401);
        sendReport(again.nodeKey(), "web-1").then().statusCode(200);
        assertThat(count("SELECT count(*) FROM node_keys WHERE host_id = :h", Map.of("h", first.hostId()))).isOne();
    }

    private Response sendReport(String nodeKey, String hostname) {
        return api(nodeKey).contentType("application/json")
                .body(report(hostname, "6.1.0-rotate", Sha256.of(new byte[] {9}), Map.of()))
                .post("/agent/reports");
    }

    @Test
    void enrollWhenEightAgentsEnrollOneNewHostKeyAtOnceThenOneHost() throws Exception {
        String hostKey = uniqueKey();
        ExecutorService agents = Executors.newFixedThreadPool(8);
        List<Future<Agent>> enrolled = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            enrolled.add(agents.submit(() -> enroll(hostKey, "clone")));
        }
        Set<Long> hostIds = new HashSet<>();
        for (Future<Agent> agent : enrolled) {
            hostIds.add(agent.get(60, TimeUnit.SECONDS).hostId());
        }
        agents.shutdown();

        assertThat(hostIds).hasSize(1);
        assertThat(count("SELECT count(*) FROM hosts WHERE host_key = :k", Map.of("k", hostKey))).isOne();
        List<String> events = events(hostIds.iterator().next());
        assertThat(events).hasSize(8).containsOnlyOnce("ENROLLED");
        // each enrolment replaced the key before it: the host has one
        assertThat(count("SELECT count(*) FROM node_keys WHERE host_id = :h", Map.of("h", hostIds.iterator().next())))
                .isOne();
    }

    @Test
    void enrollWhenWrongSecretThen401AndNothingWritten() {
        String hostKey = uniqueKey();
        api().contentType(ContentType.JSON)
                .body(Map.of("enrollSecret", "wrong", "hostKey", hostKey, "hostname", "h"))
                .post("/agent/enroll")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("enroll secret"));

        assertThat(count("SELECT count(*) FROM hosts WHERE host_key = :k", Map.of("k", hostKey))).isZero();
    }

    @Test
    void reportWhenNewImageThenImageNeededAndHostShowsReportedState() {
        Agent agent = enroll(uniqueKey(), "db-1");
        String sha256 = Sha256.of(NOT_AN_ELF);

        Map<String, Object> body = report("db-1", "6.1.0-13-amd64", sha256, Map.of("env", "prod"));
        body.put("processScan", Map.of("processesScanned", 120, "mismatches", 1));
        api(agent.nodeKey()).contentType(ContentType.JSON).body(body)
                .post("/agent/reports")
                .then().statusCode(200)
                .body("hostId", equalTo((int) agent.hostId()))
                .body("imageNeeded", equalTo(true))
                .body("nextReportSeconds", equalTo(60));

        api(adminToken()).get("/hosts/{id}", agent.hostId())
                .then().statusCode(200)
                .body("kernel.release", equalTo("6.1.0-13-amd64"))
                .body("labels.env", equalTo("prod"))
                .body("vdso.sha256", equalTo(sha256))
                .body("vdso.status", equalTo("PENDING"))
                .body("processScan.processesScanned", equalTo(120))
                .body("processScan.mismatches", equalTo(1));
        // the scan's mismatch is a PROCESS_VDSO_MISMATCH finding, which detection adds to the timeline
        assertThat(events(agent.hostId())).containsExactly("ENROLLED", "FIRST_REPORT", "FINDING_OPENED");
    }

    @Test
    void reportWhenRetriedWithSameIdThenAppliedOnce() {
        Agent agent = enroll(uniqueKey(), "app-1");
        Map<String, Object> body = report("app-1", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of());

        for (int attempt = 0; attempt < 3; attempt++) {
            api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports")
                    .then().statusCode(200);
        }

        assertThat(count("SELECT count(*) FROM reports WHERE host_id = :h", Map.of("h", agent.hostId())))
                .isEqualTo(1);
        assertThat(events(agent.hostId())).containsExactly("ENROLLED", "FIRST_REPORT");
    }

    @Test
    void reportWhenSteadyHeartbeatThenLastSeenMovesAndNothingIsRemembered() {
        Agent agent = enroll(uniqueKey(), "steady-1");
        api(agent.nodeKey()).contentType(ContentType.JSON).body(report("steady-1", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of()))
                .post("/agent/reports").then().statusCode(200);
        String lastSeen = api(adminToken()).get("/hosts/{id}", agent.hostId()).then().extract().path("lastSeen");

        api(agent.nodeKey()).contentType(ContentType.JSON).body(report("steady-1", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of()))
                .post("/agent/reports").then().statusCode(200);

        api(adminToken()).get("/hosts/{id}", agent.hostId()).then()
                .body("lastSeen", not(equalTo(lastSeen)));
        assertThat(count("SELECT count(*) FROM reports WHERE host_id = :h", Map.of("h", agent.hostId())))
                .isEqualTo(1);
        assertThat(events(agent.hostId())).containsExactly("ENROLLED", "FIRST_REPORT");
    }

    @Test
    void reportWhenSpoolDroppedObservationsThenOneEventEvenWhenRetried() {
        Agent agent = enroll(uniqueKey(), "spool-1");
        api(agent.nodeKey()).contentType(ContentType.JSON).body(report("spool-1", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of()))
                .post("/agent/reports").then().statusCode(200);
        Map<String, Object> afterOutage = report("spool-1", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of());
        afterOutage.put("droppedHeartbeats", 7);
        afterOutage.put("droppedChanges", 0);

        for (int attempt = 0; attempt < 2; attempt++) {
            api(agent.nodeKey()).contentType(ContentType.JSON).body(afterOutage).post("/agent/reports")
                    .then().statusCode(200);
        }

        assertThat(events(agent.hostId())).containsExactly("ENROLLED", "FIRST_REPORT", "OBSERVATIONS_DROPPED");
        api(adminToken()).get("/hosts/{id}/events", agent.hostId()).then().statusCode(200)
                .body("items.find { it.kind == 'OBSERVATIONS_DROPPED' }.detail.droppedHeartbeats", equalTo(7));
    }

    @Test
    void reportWhenSteadyHeartbeatChangesOnlyFactsWithoutEventsThenFactsShownAndImageStillNeeded() {
        Agent agent = enroll(uniqueKey(), "steady-2");
        Map<String, Object> first = report("steady-2", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of("env", "prod"));
        first.put("processScan", Map.of("processesScanned", 10, "mismatches", 0));
        api(agent.nodeKey()).contentType(ContentType.JSON).body(first).post("/agent/reports").then().statusCode(200);
        Map<String, Object> heartbeat = report("steady-2", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of("env", "prod"));
        heartbeat.put("processScan", Map.of("processesScanned", 12, "mismatches", 2));

        api(agent.nodeKey()).contentType(ContentType.JSON).body(heartbeat).post("/agent/reports")
                .then().statusCode(200).body("imageNeeded", equalTo(true));

        api(adminToken()).get("/hosts/{id}", agent.hostId()).then()
                .body("processScan.processesScanned", equalTo(12))
                .body("processScan.mismatches", equalTo(2))
                .body("labels", equalTo(Map.of("env", "prod")));
        // no ingest event of its own; the process-scan mismatches it carries open PROCESS_VDSO_MISMATCH
        assertThat(events(agent.hostId())).containsExactly("ENROLLED", "FIRST_REPORT", "FINDING_OPENED");
    }

    @Test
    void reportWhenSteadyHeartbeatRetriesAnotherHostsReportIdThen409() {
        Agent first = enroll(uniqueKey(), "c");
        Agent second = enroll(uniqueKey(), "d");
        api(second.nodeKey()).contentType(ContentType.JSON).body(report("d", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of()))
                .post("/agent/reports").then().statusCode(200);
        Map<String, Object> firstReport = report("c", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of());
        api(first.nodeKey()).contentType(ContentType.JSON).body(firstReport).post("/agent/reports").then().statusCode(200);
        // unchanged for the second host, but its id is remembered as the first host's report
        Map<String, Object> heartbeat = report("d", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of());
        heartbeat.put("reportId", firstReport.get("reportId"));

        api(second.nodeKey()).contentType(ContentType.JSON).body(heartbeat).post("/agent/reports")
                .then().statusCode(409);
    }

    @Test
    void reportWhenIdUsedByAnotherHostThen409AndNothingWritten() {
        Agent first = enroll(uniqueKey(), "a");
        Agent second = enroll(uniqueKey(), "b");
        Map<String, Object> body = report("a", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of());
        api(first.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports").then().statusCode(200);

        api(second.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports")
                .then().statusCode(409).body("title", equalTo("Conflict"));

        assertThat(events(second.hostId())).containsExactly("ENROLLED");
        assertThat(count("SELECT count(*) FROM hosts WHERE id = :h AND kernel_id IS NULL",
                Map.of("h", second.hostId()))).isEqualTo(1);
    }

    @Test
    void reportWhenKernelImageAndBootChangeThenTimelineRecordsEach() {
        Agent agent = enroll(uniqueKey(), "k-1");
        api(agent.nodeKey()).contentType(ContentType.JSON)
                .body(report("k-1", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of())).post("/agent/reports")
                .then().statusCode(200);
        Map<String, Object> upgraded = report("k-1", "6.6.0", Sha256.of(new byte[] {1}), Map.of("tier", "gold"));
        upgraded.put("kernel", Map.of("release", "6.6.0", "arch", "x86_64", "bootId", "boot-2"));

        api(agent.nodeKey()).contentType(ContentType.JSON).body(upgraded).post("/agent/reports")
                .then().statusCode(200);

        assertThat(events(agent.hostId())).containsExactly("ENROLLED", "FIRST_REPORT", "KERNEL_CHANGED",
                "REBOOTED", "IMAGE_CHANGED", "LABELS_CHANGED");
    }

    @Test
    void reportWhenLabelsAbsentThenKeptAndWhenEmptyThenCleared() {
        Agent agent = enroll(uniqueKey(), "labels-1");
        String image = Sha256.of(NOT_AN_ELF);
        api(agent.nodeKey()).contentType(ContentType.JSON).body(report("labels-1", "6.1.0", image, Map.of("env", "prod")))
                .post("/agent/reports").then().statusCode(200);
        Map<String, Object> withoutLabels = report("labels-1", "6.1.0", image, Map.of());
        withoutLabels.remove("labels");

        api(agent.nodeKey()).contentType(ContentType.JSON).body(withoutLabels).post("/agent/reports")
                .then().statusCode(200);
        api(adminToken()).get("/hosts/{id}", agent.hostId()).then().body("labels", equalTo(Map.of("env", "prod")));
        api(agent.nodeKey()).contentType(ContentType.JSON).body(report("labels-1", "6.1.0", image, Map.of()))
                .post("/agent/reports").then().statusCode(200);
        api(adminToken()).get("/hosts/{id}", agent.hostId()).then().body("labels", equalTo(Map.of()));
        assertThat(events(agent.hostId())).containsExactly("ENROLLED", "FIRST_REPORT", "LABELS_CHANGED");
    }

    @Test
    void reportWhenBodyInvalidThen400NamingTheFieldAndNothingWritten() {
        Agent agent = enroll(uniqueKey(), "v-1");
        Map<String, Object> body = report("v-1", "6.1.0", "not-a-sha", Map.of());

        api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports")
                .then().statusCode(400).body("parameter", equalTo("vdso.sha256"));
        api(agent.nodeKey()).contentType(ContentType.JSON).body("{\"reportId\": ").post("/agent/reports")
                .then().statusCode(400).body("parameter", equalTo("body"))
                .body("detail", containsString("Malformed request body"));
        api(agent.nodeKey()).contentType(ContentType.TEXT).body("hello").post("/agent/reports")
                .then().statusCode(415);

        assertThat(count("SELECT count(*) FROM reports WHERE host_id = :h", Map.of("h", agent.hostId()))).isZero();
        assertThat(events(agent.hostId())).containsExactly("ENROLLED");
    }

    @Test
    void reportWhenIngestSaturatedThen429WithRetryAfterAndNothingWritten() {
        Agent agent = enroll(uniqueKey(), "busy-1");
        List<IngestLimiter.Permit> held = new ArrayList<>();
        try {
            for (int slot = 0; slot < 32; slot++) {
                held.add(limiter.acquire());
            }
            api(agent.nodeKey()).contentType(ContentType.JSON)
                    .body(report("busy-1", "6.1.0", Sha256.of(NOT_AN_ELF), Map.of())).post("/agent/reports")
                    .then().statusCode(429).header("Retry-After", "1");
        } finally {
            held.forEach(IngestLimiter.Permit::close);
        }
        assertThat(count("SELECT count(*) FROM reports WHERE host_id = :h", Map.of("h", agent.hostId()))).isZero();
    }

    @Test
    void uploadWhenRealImageThenAnalysedOnceAndClaimsReplacedByTheServiceAnalysis() {
        byte[] image = vdsoImage("number_of_the_beast");
        Agent first = enroll(uniqueKey(), "first");
        Map<String, Object> lying = report("first", "6.1.0", Sha256.of(image), Map.of());
        lying.put("vdso", Map.of("sha256", Sha256.of(image), "normalizedSha256", "f".repeat(64), "buildId", "abcd",
                "size", image.length));
        api(first.nodeKey()).contentType(ContentType.JSON).body(lying).post("/agent/reports")
                .then().statusCode(200).body("imageNeeded", equalTo(true));
        api(adminToken()).get("/hosts/{id}", first.hostId()).then()
                .body("vdso.status", equalTo("PENDING")).body("vdso.normalizedSha256", equalTo("f".repeat(64)));

        api(first.nodeKey()).contentType("application/octet-stream").body(image)
                .put("/agent/images/{sha}", Sha256.of(image))
                .then().statusCode(201).body("status", equalTo("ANALYZED"));
        api(first.nodeKey()).contentType("application/octet-stream").body(image)
                .put("/agent/images/{sha}", Sha256.of(image))
                .then().statusCode(200);

        api(adminToken()).get("/hosts/{id}", first.hostId()).then()
                .body("vdso.status", equalTo("ANALYZED"))
                .body("vdso.normalizedSha256", equalTo(ImageFacts.of(image).normalizedSha256()))
                .body("vdso.buildId", equalTo(ImageFacts.of(image).buildId()));
        Agent second = enroll(uniqueKey(), "second");
        api(second.nodeKey()).contentType(ContentType.JSON).body(report("second", "6.1.0", Sha256.of(image), Map.of()))
                .post("/agent/reports").then().statusCode(200).body("imageNeeded", equalTo(false));
        assertThat(count("SELECT count(*) FROM image_symbols WHERE image_sha256 = :s AND name = 'number_of_the_beast'",
                Map.of("s", Sha256.of(image)))).isEqualTo(1);
    }

    @Test
    void uploadWhenBytesUnparseableThen422AndKeptAsMalformedEvidence() {
        byte[] bytes = ("malformed " + uniqueKey()).getBytes(StandardCharsets.US_ASCII);
        Agent agent = reported(bytes);

        api(agent.nodeKey()).contentType("application/octet-stream").body(bytes)
                .put("/agent/images/{sha}", Sha256.of(bytes))
                .then().statusCode(422).body("title", equalTo("Unprocessable image"))
                .body("detail", containsString("kept as evidence"));

        assertThat(jdbc.sql("SELECT status FROM images WHERE sha256 = :s").param("s", Sha256.of(bytes))
                .query(String.class).single()).isEqualTo("MALFORMED");
        api(adminToken()).get("/images/{sha}/raw", Sha256.of(bytes))
                .then().statusCode(200).contentType("application/octet-stream");
        assertThat(api(adminToken()).get("/images/{sha}/raw", Sha256.of(bytes)).asByteArray()).isEqualTo(bytes);
    }

    @Test
    void uploadWhenHashWrongThen422AndNothingWritten() {
        byte[] bytes = ("claimed " + uniqueKey()).getBytes(StandardCharsets.US_ASCII);
        Agent agent = reported(bytes);
        byte[] other = "other bytes".getBytes(StandardCharsets.US_ASCII);

        api(agent.nodeKey()).contentType("application/octet-stream").body(other)
                .put("/agent/images/{sha}", Sha256.of(bytes))
                .then().statusCode(422).body("detail", containsString("hash to " + Sha256.of(other)));

        assertThat(imageRows(bytes)).isZero();
    }

    @Test
    void uploadWhenOverTheLimitThen413AndNothingWritten() {
        byte[] bytes = new byte[64 * 1024 + 1];
        bytes[0] = 1;
        Agent agent = reported(bytes);

        api(agent.nodeKey()).contentType("application/octet-stream").body(bytes)
                .put("/agent/images/{sha}", Sha256.of(bytes))
                .then().statusCode(413).body("detail", containsString("65536"));

        assertThat(imageRows(bytes)).isZero();
    }

    @Test
    void uploadWhenNotReportedOrBadPathOrWrongTypeThenRejectedAndNothingWritten() {
        Agent agent = enroll(uniqueKey(), "u-1");
        byte[] bytes = ("unsolicited " + uniqueKey()).getBytes(StandardCharsets.US_ASCII);

        api(agent.nodeKey()).contentType("application/octet-stream").body(bytes)
                .put("/agent/images/{sha}", Sha256.of(bytes))
                .then().statusCode(409);
        api(agent.nodeKey()).contentType("application/octet-stream").body(bytes)
                .put("/agent/images/{sha}", "ABC")
                .then().statusCode(400).body("parameter", equalTo("sha256"));
        api(agent.nodeKey()).contentType(ContentType.JSON).body("{}")
                .put("/agent/images/{sha}", Sha256.of(bytes))
                .then().statusCode(415);

        assertThat(imageRows(bytes)).isZero();
    }

    private Agent reported(byte[] image) {
        Agent agent = enroll(uniqueKey(), "uploader");
        api(agent.nodeKey()).contentType(ContentType.JSON)
                .body(report("uploader", "6.1.0", Sha256.of(image), Map.of())).post("/agent/reports")
                .then().statusCode(200).body("imageNeeded", equalTo(true));
        return agent;
    }

    private long imageRows(byte[] bytes) {
        return count("SELECT count(*) FROM images WHERE sha256 = :s", Map.of("s", Sha256.of(bytes)));
    }

    private List<String> events(long hostId) {
        return jdbc.sql("SELECT kind FROM host_events WHERE host_id = :h ORDER BY id")
                .param("h", hostId).query(String.class).list();
    }
}
