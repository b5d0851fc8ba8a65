package io.vdsoinventory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The default run: its own PostgreSQL whose data, secrets and hosts survive a restart. */
class EmbeddedDatabaseTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void restartWhenSameDataDirThenSecretsAndHostsPersist(@TempDir Path dataDir) throws Exception {
        String hostJson;
        String adminToken;
        String enrollSecret;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            adminToken = Files.readString(dataDir.resolve("admin-token")).strip();
            enrollSecret = Files.readString(dataDir.resolve("enroll-secret")).strip();
            HttpResponse<String> enrolled = send(first, HttpRequest.newBuilder(uri(first, "/agent/enroll"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"enrollSecret\":\"" + enrollSecret
                            + "\",\"hostKey\":\"persist-1\",\"hostname\":\"persist\"}")));
            assertThat(enrolled.statusCode()).isEqualTo(200);
            hostJson = get(first, "/hosts/1", adminToken).body();
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            assertThat(Files.readString(dataDir.resolve("admin-token")).strip()).isEqualTo(adminToken);
            assertThat(Files.readString(dataDir.resolve("enroll-secret")).strip()).isEqualTo(enrollSecret);
            HttpResponse<String> host = get(second, "/hosts/1", adminToken);
            assertThat(host.statusCode()).isEqualTo(200);
            assertThat(host.body()).isEqualTo(hostJson).contains("\"hostname\":\"persist\"");

            second.getBean(EmbeddedPostgres.class).close();
            HttpResponse<String> down = get(second, "/hosts", adminToken);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(down.headers().firstValue("Retry-After")).isPresent();
            assertThat(down.body()).contains("database is unreachable");
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(ServerApplication.class).run("--server.port=0",
                "--vdso.data-dir=" + dataDir, "--vdso.tls.enabled=false", "--vdso.self-report.enabled=false", "--vdso.enroll-secret=",
                "--vdso.admin-token=", "--vdso.embedded-db.connection-timeout=1s");
    }

    private HttpResponse<String> get(ConfigurableApplicationContext context, String path, String token)
            throws IOException, InterruptedException {
        return send(context, HttpRequest.newBuilder(uri(context, path)).header("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> send(ConfigurableApplicationContext context, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext context, String path) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
