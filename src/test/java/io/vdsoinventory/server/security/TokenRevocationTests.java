package io.vdsoinventory.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.vdsoinventory.server.ServiceTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenRevocationTests extends ServiceTestSupport {

    @Test
    void revokeWhenApiTokenInUseThenRefusedAtOnce() {
        String viewer = token("VIEWER");
        api(viewer).get("/hosts").then().statusCode(200);

        revoke(adminToken(), viewer).then().statusCode(204);

        api(viewer).get("/hosts").then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("The bearer token is not known"));
        assertThat(count("SELECT count(*) FROM api_tokens WHERE token_hash = :t", Map.of("t", Tokens.hash(viewer))))
                .isZero();
    }

    @Test
    void revokeWhenNodeKeyInUseThenAgentRefusedAndHostKept() {
        Agent agent = enroll(uniqueKey(), "revoked-agent");
        Map<String, Object> body = report("revoked-agent", "6.1.0", "b".repeat(64), Map.of());
        api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports").then().statusCode(200);

        revoke(adminToken(), agent.nodeKey()).then().statusCode(204);

        api(agent.nodeKey()).contentType(ContentType.JSON).body(report("revoked-agent", "6.1.0", "b".repeat(64),
                Map.of())).post("/agent/reports").then().statusCode(401);
        api(adminToken()).get("/hosts/{id}", agent.hostId()).then().statusCode(200)
                .body("hostname", equalTo("revoked-agent"));
    }

    @Test
    void revokeWhenUnknownOrBootstrapTokenThenProblemAndNothingChanged() {
        revoke(adminToken(), "vdso_viewer_never-issued").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("No API token or node key has this secret"));

        revoke(adminToken(), adminToken()).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("bootstrap admin token"));
        api(adminToken()).get("/hosts").then().statusCode(200);

        revoke(adminToken(), " ").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void revokeWhenViewerThen403AndTokenStillWorks() {
        String viewer = token("VIEWER");
        String other = token("VIEWER");

        revoke(viewer, other).then().statusCode(403);

        api(other).get("/hosts").then().statusCode(200);
    }

    private io.restassured.response.Response revoke(String bearer, String secret) {
        return api(bearer).contentType(ContentType.JSON).body(Map.of("token", secret)).post("/tokens/revoke");
    }
}
