package io.vdsoinventory.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vdsoinventory.server.ServiceTestSupport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Managing API tokens: listing them without secrets, unique names, revoking by name, expiry. */
class TokenManagementTests extends ServiceTestSupport {

    @Autowired
    private CredentialRepository credentials;

    @Test
    void listWhenTokensIssuedAndUsedThenNameRoleTimesAndNeverTheSecret() {
        String name = "alice " + uniqueKey();
        Instant expiresAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String secret = issue(name, "VIEWER", expiresAt).then().statusCode(201)
                .body("expiresAt", equalTo(expiresAt.toString())).extract().path("token");
        Map<String, Object> unused = listed(name);
        assertThat(unused).containsEntry("role", "VIEWER").containsEntry("expiresAt", expiresAt.toString())
                .containsEntry("lastUsedAt", null).containsKey("createdAt").doesNotContainKey("token");

        api(secret).get("/hosts").then().statusCode(200);

        Map<String, Object> used = listed(name);
        assertThat(Instant.parse((String) used.get("lastUsedAt"))).isAfterOrEqualTo(
                Instant.parse((String) used.get("createdAt")));
        String everyPage = String.join("", pages(adminToken(), 2).stream().map(Object::toString).toList());
        assertThat(everyPage).doesNotContain(secret).doesNotContain(adminToken()).contains("admin (admin-token)");
    }

    @Test
    void listWhenPagedThenEveryTokenOnceInNameOrder() {
        for (int i = 0; i < 3; i++) {
            issue("paged " + i + " " + uniqueKey(), "VIEWER", null).then().statusCode(201);
        }
        List<String> names = pages(adminToken(), 2).stream().map(item -> (String) item.get("name")).toList();

        assertThat(names).doesNotHaveDuplicates().isSorted()
                .hasSize((int) count("SELECT count(*) FROM api_tokens", Map.of()));
        api(token("VIEWER")).get("/tokens").then().statusCode(403);
    }

    @Test
    void issueWhenNameTakenThen409NamingNameAndFirstTokenKept() {
        String name = "ci " + uniqueKey();
        String first = issue(name, "VIEWER", null).then().statusCode(201).extract().path("token");

        issue(name, "ADMIN", null).then().statusCode(409).contentType("application/problem+json")
                .body("parameter", equalTo("name")).body("detail", containsString(name));

        assertThat(listed(name)).containsEntry("role", "VIEWER");
        api(first).get("/hosts").then().statusCode(200);
    }

    @Test
    void revokeWhenByNameThenRefusedAtOnceAndNameFree() {
        String name = "leaver " + uniqueKey();
        String secret = issue(name, "ADMIN", null).then().statusCode(201).extract().path("token");
        api(secret).get("/tokens").then().statusCode(200);

        revoke(Map.of("name", name)).then().statusCode(204);

        api(secret).get("/hosts").then().statusCode(401).body("detail", equalTo("The bearer token is not known"));
        assertThat(pages(adminToken(), 1000)).noneMatch(item -> name.equals(item.get("name")));
        issue(name, "VIEWER", null).then().statusCode(201);
    }

    @Test
    void revokeWhenUnknownNameBootstrapNameOrBothFieldsThenProblemAndNothingRevoked() {
        revoke(Map.of("name", "nobody " + uniqueKey())).then().statusCode(404).contentType("application/problem+json");
        revoke(Map.of("name", "admin (admin-token)")).then().statusCode(409)
                .body("detail", containsString("bootstrap admin token"));
        String viewer = token("VIEWER");
        String name = (String) pages(adminToken(), 1000).stream().filter(item -> ((String) item.get("name"))
                .startsWith("test VIEWER")).findFirst().orElseThrow().get("name");
        revoke(Map.of("name", name, "token", viewer)).then().statusCode(400).contentType("application/problem+json");
        revoke(Map.of()).then().statusCode(400);
        revoke(Map.of("name", " ")).then().statusCode(400).body("parameter", equalTo("name"));

        api(viewer).get("/hosts").then().statusCode(200);
        api(adminToken()).get("/tokens").then().statusCode(200);
    }

    @Test
    void tokenWhenPastItsExpiryThen401LikeARevokedOne() throws InterruptedException {
        Instant expiresAt = Instant.now().plusSeconds(2);
        String secret = issue("short-lived " + uniqueKey(), "VIEWER", expiresAt).then().statusCode(201)
                .extract().path("token");
        api(secret).get("/hosts").then().statusCode(200);

        Thread.sleep(Math.max(0, expiresAt.toEpochMilli() - System.currentTimeMillis()) + 100);

        api(secret).get("/hosts").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("detail", containsString("expired"));
    }

    @Test
    void issueWhenExpiryNotInTheFutureThen400AndNothingStored() {
        String name = "late " + uniqueKey();
        issue(name, "VIEWER", Instant.now().minusSeconds(1)).then().statusCode(400)
                .body("parameter", equalTo("expiresAt"));
        assertThat(count("SELECT count(*) FROM api_tokens WHERE name = :n", Map.of("n", name))).isZero();
    }

    @Test
    void bootstrapTokenWhenRotatedThenTheOldSecretIsRefused() {
        String name = "admin (rotation " + uniqueKey() + ")";
        String old = Tokens.generate("vdso_admin_");
        String rotated = Tokens.generate("vdso_admin_");
        credentials.storeBootstrapToken(old, name, "none " + uniqueKey());
        api(old).get("/tokens").then().statusCode(200);

        credentials.storeBootstrapToken(rotated, name, "none " + uniqueKey());

        api(old).get("/tokens").then().statusCode(401);
        api(rotated).get("/tokens").then().statusCode(200);
        assertThat(listed(name)).containsEntry("role", "ADMIN");
    }

    private Response issue(String name, String role, Instant expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("role", role);
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        return api(adminToken()).contentType(ContentType.JSON).body(body).post("/tokens");
    }

    private Response revoke(Map<String, String> body) {
        return api(adminToken()).contentType(ContentType.JSON).body(body).post("/tokens/revoke");
    }

    private Map<String, Object> listed(String name) {
        return pages(adminToken(), 1000).stream().filter(item -> name.equals(item.get("name"))).findFirst()
                .orElseThrow();
    }

    /** Every token of {@code GET /tokens}, following {@code nextCursor} with pages of {@code limit}. */
    private List<Map<String, Object>> pages(String bearer, int limit) {
        List<Map<String, Object>> items = new ArrayList<>();
        String cursor = null;
        do {
            var request = api(bearer).queryParam("limit", limit);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/tokens").then().statusCode(200).body("items[0].token", nullValue())
                    .extract().jsonPath();
            items.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return items;
    }
}
