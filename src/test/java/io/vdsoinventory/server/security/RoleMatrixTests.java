package io.vdsoinventory.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.vdsoinventory.server.ServiceTestSupport;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoleMatrixTests extends ServiceTestSupport {

    private static final List<String> READS = List.of("/hosts", "/hosts/1", "/hosts/1/events", "/images",
            "/images/" + "0".repeat(64), "/symbols", "/kernels");

    @Test
    void readsWhenNoOrUnknownTokenThen401() {
        for (String path : READS) {
            api().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                    .contentType("application/problem+json");
            api("not-a-token").get(path).then().statusCode(401);
        }
    }

    @Test
    void readsWhenNodeKeyThen403() {
        String nodeKey = enroll(uniqueKey(), "agent-only").nodeKey();
        for (String path : READS) {
            api(nodeKey).get(path).then().statusCode(403)
                    .body("detail", equalTo("Node keys cannot query the inventory: use an API token"));
        }
    }

    @Test
    void readsWhenViewerOrAdminThenAnswered() {
        for (String token : List.of(token("VIEWER"), adminToken())) {
            for (String path : List.of("/hosts", "/images", "/symbols", "/kernels")) {
                api(token).get(path).then().statusCode(200);
            }
        }
    }

    @Test
    void issueTokenWhenViewerThen403AndWhenAdminThen201() {
        String viewer = token("VIEWER");
        api(viewer).contentType(ContentType.JSON).body(Map.of("name", "escalate", "role", "ADMIN")).post("/tokens")
                .then().statusCode(403);
        String issued = api(adminToken()).contentType(ContentType.JSON).body(Map.of("name", "ci", "role", "ADMIN"))
                .post("/tokens").then().statusCode(201).body("role", equalTo("ADMIN")).extract().path("token");
        api(issued).contentType(ContentType.JSON).body(Map.of("name", "next", "role", "VIEWER")).post("/tokens")
                .then().statusCode(201);
        api(adminToken()).contentType(ContentType.JSON).body(Map.of("name", "x", "role", "ROOT")).post("/tokens")
                .then().statusCode(400);
    }

    @Test
    void agentEndpointsWhenApiTokenOrNoTokenThenRefused() {
        Map<String, Object> body = report("h", "6.1.0", "a".repeat(64), Map.of());
        api(adminToken()).contentType(ContentType.JSON).body(body).post("/agent/reports")
                .then().statusCode(403).body("detail", equalTo("This endpoint is for agents: use a node key"));
        api().contentType(ContentType.JSON).body(body).post("/agent/reports").then().statusCode(401);
        api().contentType("application/octet-stream").body(new byte[] {1}).put("/agent/images/{sha}", "a".repeat(64))
                .then().statusCode(401);
        long reports = count("SELECT count(*) FROM reports WHERE report_id = :id",
                Map.of("id", UUID.fromString((String) body.get("reportId"))));
        assertThat(reports).isZero();
    }

    @Test
    void secretsWhenGeneratedThenFilesAreOwnerOnlyAndTokenStoredHashed() throws Exception {
        for (String file : List.of("admin-token", "enroll-secret")) {
            assertThat(Files.getPosixFilePermissions(dataDir().resolve(file)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE);
        }
        assertThat(count("SELECT count(*) FROM api_tokens WHERE token_hash = :t",
                Map.of("t", adminToken()))).isZero();
        assertThat(count("SELECT count(*) FROM api_tokens WHERE token_hash = :t",
                Map.of("t", Tokens.hash(adminToken())))).isEqualTo(1);
    }
}
