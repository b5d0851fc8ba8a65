package io.vdsoinventory.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vdsoinventory.server.ServiceTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * HOST_KEY_CONFLICT through the agent protocol: a second agent enrols the same host key from another address (a
 * loopback address of its own, 127.0.0.2) while the first one reports.
 */
class KeyConflictTests extends ServiceTestSupport {

    private static final String OTHER_ADDRESS = "127.0.0.2";

    @Autowired
    private KeyConflicts conflicts;

    @Test
    void enrolWhenAnotherAgentOfTheKeyStillReportsThenHighFindingWithBothAddressesUntilOneAgentIsLeft()
            throws IOException {
        String hostKey = uniqueKey();
        Agent first = enroll(hostKey, "twin");
        heartbeat(first, 200);

        Agent second = enrollFrom(OTHER_ADDRESS, hostKey, "twin");

        assertThat(second.hostId()).isEqualTo(first.hostId());
        JsonPath opened = conflicts(first.hostId());
        assertThat(opened.getList("items.status")).containsExactly("OPEN");
        assertThat(opened.getString("items[0].severity")).isEqualTo("HIGH");
        assertThat(opened.getString("items[0].evidence.previous.address")).isEqualTo("127.0.0.1");
        assertThat(opened.getString("items[0].evidence.current.address")).isEqualTo(OTHER_ADDRESS);
        assertThat(opened.getString("items[0].evidence.previous.lastReportAt")).isNotNull();

        heartbeat(first, 401);
        heartbeat(second, 200);
        Agent firstAgain = enroll(hostKey, "twin");

        JsonPath alternating = conflicts(first.hostId());
        assertThat(alternating.getList("items.status")).as("one finding follows the pair").containsExactly("OPEN");
        assertThat(alternating.getString("items[0].evidence.previous.address")).isEqualTo(OTHER_ADDRESS);
        assertThat(alternating.getString("items[0].evidence.current.address")).isEqualTo("127.0.0.1");
        assertThat(hostIds(adminToken(), Map.of("findingKind", "HOST_KEY_CONFLICT"))).contains(first.hostId());

        heartbeat(firstAgain, 200);
        assertThat(conflicts.resolveSettled()).as("enrolled within the window").isZero();
        jdbc.sql("UPDATE node_keys SET created_at = now() - interval '1 hour' WHERE host_id = :id")
                .param("id", first.hostId()).update();
        assertThat(conflicts.resolveSettled()).isPositive();

        assertThat(conflicts(first.hostId()).getList("items.status")).containsExactly("RESOLVED");
    }

    @Test
    void enrolWhenSameAddressAgainOrReplacedKeyNeverReportedThenNoConflict() throws IOException {
        String oneShot = uniqueKey();
        Agent run1 = enroll(oneShot, "cron");
        heartbeat(run1, 200);
        Agent run2 = enroll(oneShot, "cron");
        heartbeat(run2, 200);

        String lostKey = uniqueKey();
        Agent unused = enroll(lostKey, "fresh");
        enrollFrom(OTHER_ADDRESS, lostKey, "fresh");

        assertThat(conflicts(run1.hostId()).getList("items")).as("`agent report` enrols at every run").isEmpty();
        assertThat(conflicts(unused.hostId()).getList("items")).isEmpty();
    }

    private void heartbeat(Agent agent, int status) {
        api(agent.nodeKey()).contentType(ContentType.JSON).body(report("twin", "6.1.0", "d".repeat(64), Map.of()))
                .post("/agent/reports").then().statusCode(status);
    }

    private JsonPath conflicts(long hostId) {
        return api(adminToken()).queryParam("host", hostId).queryParam("kind", "HOST_KEY_CONFLICT").get("/findings")
                .then().statusCode(200).extract().jsonPath();
    }

    /** {@code POST /agent/enroll} over a connection from {@code address}, which RestAssured cannot choose. */
    private Agent enrollFrom(String address, String hostKey, String hostname) throws IOException {
        String body = "{\"enrollSecret\":\"" + enrollSecret() + "\",\"hostKey\":\"" + hostKey + "\",\"hostname\":\""
                + hostname + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(address), 0)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /agent/enroll HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");
            JsonPath answer = new JsonPath(response.substring(response.indexOf("\r\n\r\n") + 4));
            return new Agent(answer.getLong("hostId"), answer.getString("nodeKey"));
        }
    }
}
