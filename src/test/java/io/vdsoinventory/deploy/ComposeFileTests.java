package io.vdsoinventory.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.deploy.RenderedChart.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml as a reviewer reads it: who gets which privilege, where secrets come from, what is mounted.
 * (scripts/lint-deploy.sh checks that docker-compose accepts it.)
 */
class ComposeFileTests {

    private static final Node SERVICES = services();

    private static Node services() {
        try {
            String yaml = Files.readString(Path.of("docker/compose.yaml"), StandardCharsets.UTF_8);
            return new Node(RenderedChart.parse(yaml).get(0)).at("services");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void agentWhenDefaultHasNoPrivilege() {
        Map<String, Object> agent = SERVICES.at("agent").map();

        assertThat(agent).doesNotContainKeys("pid", "cap_add", "privileged", "user", "profiles");
        assertThat(agent).containsEntry("cap_drop", List.of("ALL")).containsEntry("read_only", true)
                .containsEntry("security_opt", List.of("no-new-privileges:true"));
        assertThat(new Node(agent).at("command").list()).doesNotContain("--scan-processes");
    }

    @Test
    void agentScanWhenProfileScanAddsHostPidAndSysPtraceAsRootOnly() {
        Map<String, Object> scan = SERVICES.at("agent-scan").map();

        assertThat(scan).containsEntry("profiles", List.of("scan")).containsEntry("pid", "host")
                .containsEntry("cap_add", List.of("SYS_PTRACE")).containsEntry("cap_drop", List.of("ALL"))
                .containsEntry("user", "0:0").containsEntry("read_only", true).doesNotContainKey("privileged");
        assertThat(new Node(scan).at("command").list()).contains("--scan-processes");
    }

    @Test
    void secretsWhenAnyServiceNeedsOneComeFromFilesNotFromTheEnvironment() {
        for (Map.Entry<String, Object> service : SERVICES.map().entrySet()) {
            Object environment = ((Map<?, ?>) service.getValue()).get("environment");
            if (environment instanceof Map<?, ?> variables) {
                assertThat(variables.keySet()).as(service.getKey()).allSatisfy(name -> assertThat((String) name)
                        .satisfiesAnyOf(n -> assertThat(n).doesNotContainPattern("PASSWORD|SECRET|TOKEN"),
                                n -> assertThat(n).endsWith("_FILE")));
            }
        }
        assertThat(SERVICES.at("server.environment").map())
                .containsEntry("SPRING_CONFIG_IMPORT", "configtree:/run/vdso-secrets/server/")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/vdso");
    }

    @Test
    void portsWhenPublishedListenOnLoopbackOnly() {
        for (Map.Entry<String, Object> service : SERVICES.map().entrySet()) {
            Object ports = ((Map<?, ?>) service.getValue()).get("ports");
            if (ports != null) {
                assertThat((List<?>) ports).as(service.getKey())
                        .allSatisfy(port -> assertThat((String) port).startsWith("127.0.0.1:"));
            }
        }
    }

    @Test
    void monitoringWhenStartedMountsTheRepositoryRulesAndDashboards() {
        assertThat(SERVICES.at("prometheus.volumes").list()).contains("./prometheus:/etc/prometheus:ro");
        assertThat(SERVICES.at("grafana.volumes").list()).contains(
                "./grafana/provisioning:/etc/grafana/provisioning:ro",
                "./grafana/dashboards:/var/lib/grafana/dashboards:ro");
    }

    @Test
    void imagesWhenPulledArePinnedToAVersion() {
        for (Map.Entry<String, Object> service : SERVICES.map().entrySet()) {
            Object image = ((Map<?, ?>) service.getValue()).get("image");
            if (image != null) {
                assertThat((String) image).as(service.getKey()).matches("[a-z0-9./-]+:v?[0-9]+\\.[0-9]+[^:]*")
                        .doesNotEndWith(":latest");
            } else {
                assertThat(((Map<?, ?>) service.getValue()).get("build")).as(service.getKey()).isNotNull();
            }
        }
    }

    @Test
    void serverWhenStartedServesHttpsAndWritesItsGeneratedCaIntoTheSharedVolume() {
        Map<String, Object> environment = SERVICES.at("server.environment").map();
        String caFile = (String) environment.get("VDSO_TLS_CA_CERTIFICATE_FILE");

        assertThat(environment).containsEntry("VDSO_TLS_ENABLED", "true").containsEntry("VDSO_TLS_NAMES", "server");
        assertThat(SERVICES.at("server.volumes").list()).contains(caVolumeMount(caFile, ""));
        assertThat(String.join(" ", strings(SERVICES.at("server.healthcheck.test").list())))
                .contains("--cacert " + caFile).contains("https://127.0.0.1:8080/actuator/health/readiness");
    }

    @Test
    void agentsWhenReportingUseHttpsAndTrustExactlyTheServersCaMountedReadOnly() {
        String caFile = (String) SERVICES.at("server.environment").map().get("VDSO_TLS_CA_CERTIFICATE_FILE");
        for (String agent : List.of("agent", "agent-scan")) {
            assertThat(strings(SERVICES.at(agent + ".command").list())).as(agent)
                    .contains("--server=https://server:8080", "--ca-file=" + caFile)
                    .noneMatch(argument -> argument.startsWith("--insecure-http"));
            assertThat(SERVICES.at(agent + ".volumes").list()).as(agent).contains(caVolumeMount(caFile, ":ro"));
        }
    }

    @Test
    void prometheusWhenScrapingTheServiceUsesHttpsWithTheSharedCa() throws IOException {
        String caFile = (String) SERVICES.at("server.environment").map().get("VDSO_TLS_CA_CERTIFICATE_FILE");
        Node config = new Node(RenderedChart.parse(Files.readString(Path.of("docker/prometheus/prometheus.yml"),
                StandardCharsets.UTF_8)).get(0));
        Node job = config.at("scrape_configs").list().stream().map(Node::new)
                .filter(scrape -> "vdso-inventory".equals(scrape.map().get("job_name"))).findFirst().orElseThrow();

        assertThat(job.at("scheme").value()).isEqualTo("https");
        assertThat(job.at("tls_config.ca_file").value()).isEqualTo(caFile);
        assertThat(SERVICES.at("prometheus.volumes").list()).contains(caVolumeMount(caFile, ":ro"));
    }

    @Test
    void imagesWhenBuiltAreTargetsOfOneDockerfileWhoseBuildStageRunsMavenOnce() throws IOException {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"), StandardCharsets.UTF_8);
        String header = Files.readString(Path.of("docker/compose.yaml"), StandardCharsets.UTF_8).lines()
                .takeWhile(line -> line.startsWith("#")).reduce("", (a, b) -> a + b + "\n");

        assertThat(SERVICES.at("server.build").map()).containsEntry("dockerfile", "docker/Dockerfile")
                .containsEntry("target", "server").containsEntry("context", "..");
        for (String agent : List.of("agent", "agent-scan")) {
            assertThat(SERVICES.at(agent + ".build").map()).as(agent)
                    .containsEntry("dockerfile", "docker/Dockerfile").containsEntry("target", "agent")
                    .containsEntry("context", "..");
        }
        assertThat(dockerfile.lines().filter(line -> line.contains("mvn ") && line.contains(" package"))).hasSize(1);
        assertThat(dockerfile).contains("AS build\n", "AS agent\n", "AS server\n")
                .contains("COPY --from=build /build/target/vdso-inventory.jar")
                .contains("COPY --from=build /build/extracted/application/");
        assertThat(header).contains("BuildKit").contains("DOCKER_BUILDKIT=1");
    }

    /** The compose volume entry mounting the `ca` volume on the directory of {@code caFile}. */
    private static String caVolumeMount(String caFile, String mode) {
        return "ca:" + Path.of(caFile).getParent() + mode;
    }

    private static List<String> strings(List<Object> values) {
        return values.stream().map(String::valueOf).toList();
    }
}
