package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guessing credentials from one address is throttled (429 + Retry-After after the default 20 failures a minute)
 * while an agent behind the same address (a NAT), whose node key the server already verified, keeps reporting.
 * The packaged server with its default settings; requests from 127.0.0.2, so the address is this test's own.
 */
class AuthThrottleIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NAT = "127.0.0.2";

    /** Opens the connections: TLS trusting the server's CA. */
    private SSLSocketFactory tls;

    private record Answer(int status, String head, String body) {
    }

    @Test
    void guessingWhenPastTheLimitThen429WhileTheKnownAgentBehindTheSameAddressReports(@TempDir Path dir)
            throws Exception {
        try (ServerProcess server = ServerProcess.start(dir)) {
            int port = server.port();
            tls = server.trustingItsCa().getSocketFactory();
            String secret = Files.readString(server.enrollSecretFile()).strip();
            Answer enrolled = send(port, "POST", "/agent/enroll", null,
                    "{\"enrollSecret\":\"" + secret + "\",\"hostKey\":\"nat-agent\",\"hostname\":\"nat-agent\"}");
            assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(200);
            String nodeKey = JSON.readTree(enrolled.body()).path("nodeKey").asString();
            assertThat(send(port, "POST", "/agent/reports", nodeKey, report()).status()).isEqualTo(200);

            int unauthorized = 0;
            for (int i = 0; i < 20; i++) {
                unauthorized += send(port, "POST", "/agent/enroll", null,
                        "{\"enrollSecret\":\"guess-" + i + "\",\"hostKey\":\"x\",\"hostname\":\"x\"}").status() == 401
                        ? 1 : 0;
            }
            assertThat(unauthorized).as("guesses answered 401 until the limit").isEqualTo(20);

            Answer guessedSecret = send(port, "POST", "/agent/enroll", null,
                    "{\"enrollSecret\":\"" + secret + "\",\"hostKey\":\"y\",\"hostname\":\"y\"}");
            Answer guessedToken = send(port, "GET", "/hosts", "vdso_token_guess", null);
            for (Answer throttled : new Answer[] {guessedSecret, guessedToken}) {
                assertThat(throttled.status()).as(throttled.body()).isEqualTo(429);
                assertThat(throttled.head()).containsIgnoringCase("Retry-After:")
                        .containsIgnoringCase("Content-Type: application/problem+json");
                JsonNode problem = JSON.readTree(throttled.body());
                assertThat(problem.path("type").asString()).isEqualTo("urn:vdso-inventory:problem:auth-throttled");
            }
            for (int i = 0; i < 5; i++) {
                Answer heartbeat = send(port, "POST", "/agent/reports", nodeKey, report());
                assertThat(heartbeat.status()).as("the known agent's heartbeat " + i + ": " + heartbeat.body())
                        .isEqualTo(200);
            }
            // another address is not throttled by this one's failures
            assertThat(send(port, "127.0.0.1", "POST", "/agent/enroll", null,
                    "{\"enrollSecret\":\"" + secret + "\",\"hostKey\":\"z\",\"hostname\":\"z\"}").status())
                    .isEqualTo(200);
        }
    }

    private static String report() {
        return "{\"reportId\":\"" + UUID.randomUUID() + "\",\"hostname\":\"nat-agent\","
                + "\"kernel\":{\"release\":\"6.1.0-nat\",\"arch\":\"x86_64\"}}";
    }

    private Answer send(int port, String method, String path, String bearer, String body) throws IOException {
        return send(port, NAT, method, path, bearer, body);
    }

    private Answer send(int port, String from, String method, String path, String bearer, String body)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\nContent-Length: " + content.length + "\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (bearer != null) {
            head.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = tls.createSocket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            String responseHead = end < 0 ? response : response.substring(0, end);
            String responseBody = end < 0 ? "" : response.substring(end + 4);
            if (responseHead.toLowerCase().contains("transfer-encoding: chunked")) {
                responseBody = responseBody.substring(responseBody.indexOf("\r\n") + 2,
                        responseBody.lastIndexOf("\r\n0\r\n"));
            }
            return new Answer(Integer.parseInt(responseHead.substring(9, 12)), responseHead, responseBody);
        }
    }
}
