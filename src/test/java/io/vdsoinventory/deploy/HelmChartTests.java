package io.vdsoinventory.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import io.vdsoinventory.deploy.RenderedChart.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** helm/vdso-inventory rendered with its defaults and with each option set, asserted as a reviewer would read it. */
class HelmChartTests {

    /** The one value every real install sets besides the database URL: the database password. */
    private static final String DATABASE = """
            database:
              url: jdbc:postgresql://db.example.internal:5432/vdso
              password: db-password-marker
            """;

    /** Values that hold Kubernetes objects or free maps: the README describes them as a whole. */
    private static final Set<String> KUBERNETES_OBJECT_VALUES = Set.of("resources", "strategy", "updateStrategy",
            "podSecurityContext", "securityContext", "labels", "annotations");

    private static final RenderedChart DEFAULTS = RenderedChart.render("defaults", "{}\n");

    @Test
    void lintWhenStrictReportsNothingAboveInfo() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    @Test
    void chartReadmeWhenReadDescribesEveryValue() throws IOException {
        Map<String, Object> values = RenderedChart.parse(
                Files.readString(RenderedChart.CHART.resolve("values.yaml"), StandardCharsets.UTF_8)).get(0);
        String readme = Files.readString(RenderedChart.CHART.resolve("README.md"), StandardCharsets.UTF_8);

        List<String> paths = new ArrayList<>();
        collectValuePaths("", values, paths);
        assertThat(paths).hasSizeGreaterThan(50)
                .allSatisfy(path -> assertThat(readme).as(path).contains("| `" + path + "` |"));
    }

    /** Dotted paths of values.yaml, not descending into the Kubernetes objects (resources, security contexts). */
    private static void collectValuePaths(String prefix, Map<String, Object> values, List<String> paths) {
        for (Map.Entry<String, Object> value : values.entrySet()) {
            String path = prefix + value.getKey();
            if (value.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()
                    && !KUBERNETES_OBJECT_VALUES.contains(value.getKey())) {
                @SuppressWarnings("unchecked")
                Map<String, Object> children = (Map<String, Object>) nested;
                collectValuePaths(path + ".", children, paths);
            } else {
                paths.add(path);
            }
        }
    }

    @Test
    void defaultsRenderTheServerAndTheAgentButNoOptionalObject() {
        assertThat(DEFAULTS.objects()).extracting(object -> object.get("kind")).containsExactlyInAnyOrder(
                "Deployment", "Service", "PodDisruptionBudget", "DaemonSet");
        assertThat(RenderedChart.renderWithHooks("defaults-with-hooks", "{}\n").objects())
                .extracting(object -> object.get("kind")).containsExactlyInAnyOrder(
                        "Deployment", "Service", "PodDisruptionBudget", "DaemonSet", "Secret", "Secret");
        assertThat(DEFAULTS.one("Deployment").at("spec.replicas").value()).isEqualTo(2);
    }

    @Test
    void serverPodWhenDefaultRunsNonRootReadOnlyWithoutCapabilitiesOrToken() {
        Node pod = DEFAULTS.one("Deployment").at("spec.template.spec");
        Node container = pod.at("containers").named("server");

        assertThat(pod.at("automountServiceAccountToken").value()).isEqualTo(false);
        assertThat(pod.at("securityContext.runAsNonRoot").value()).isEqualTo(true);
        assertThat(pod.at("securityContext.runAsUser").value()).isEqualTo(10001);
        assertThat(pod.at("securityContext.seccompProfile.type").value()).isEqualTo("RuntimeDefault");
        assertThat(pod.has("hostPID")).isFalse();
        assertThat(container.at("securityContext").map()).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false).containsEntry("privileged", false)
                .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat(container.at("volumeMounts").list()).map(mount -> new Node(mount).at("mountPath").value())
                .containsExactlyInAnyOrder("/tmp", "/var/lib/vdso-inventory", "/etc/vdso-inventory/tls");
        assertThat(container.at("resources.limits.memory").value()).isEqualTo("1Gi");
    }

    @Test
    void serverProbesWhenDefaultAskTheActuatorHealthGroups() {
        Node container = DEFAULTS.one("Deployment").at("spec.template.spec.containers").named("server");

        assertThat(container.at("livenessProbe.httpGet.path").value()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("readinessProbe.httpGet.path").value()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("startupProbe.httpGet.path").value()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("env").named("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED").at("value").value())
                .isEqualTo("true");
        assertThat(DEFAULTS.one("Deployment").at("spec.strategy.rollingUpdate.maxUnavailable").value()).isEqualTo(0);
    }

    @Test
    void serverEnvWhenDatabaseSetPointsAtItAndReadsThePasswordFromTheChartSecret() {
        RenderedChart chart = RenderedChart.render("database", DATABASE);
        Node env = chart.one("Deployment").at("spec.template.spec.containers").named("server").at("env");

        assertThat(env.named("SPRING_DATASOURCE_URL").at("value").value())
                .isEqualTo("jdbc:postgresql://db.example.internal:5432/vdso");
        assertThat(env.named("SPRING_DATASOURCE_PASSWORD").at("valueFrom.secretKeyRef").map())
                .isEqualTo(Map.of("name", "demo-vdso-inventory-database", "key", "password"));
        assertThat(env.named("VDSO_ENROLL_SECRET").at("valueFrom.secretKeyRef").map())
                .isEqualTo(Map.of("name", "demo-vdso-inventory", "key", "enroll-secret"));
        assertThat(env.named("VDSO_ADMIN_TOKEN").at("valueFrom.secretKeyRef").map())
                .isEqualTo(Map.of("name", "demo-vdso-inventory", "key", "admin-token"));
    }

    @Test
    void secretValuesWhenConfiguredAppearInSecretsOnly() {
        RenderedChart chart = RenderedChart.render("secrets", DATABASE + """
                secrets:
                  enrollSecret: enroll-secret-marker
                  adminToken: admin-token-marker
                metrics:
                  dashboards:
                    enabled: true
                """);
        List<String> markers = List.of("db-password-marker", "enroll-secret-marker", "admin-token-marker");

        Map<String, String> secretData = new HashMap<>();
        for (Map<String, Object> secret : chart.all("Secret")) {
            new Node(secret).at("data").map().forEach((key, value) -> secretData.put(key,
                    new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8)));
        }
        assertThat(secretData).containsEntry("password", "db-password-marker")
                .containsEntry("enroll-secret", "enroll-secret-marker")
                .containsEntry("admin-token", "admin-token-marker");
        assertThat(chart.all("ConfigMap")).isNotEmpty();
        String everythingButSecrets = chart.objects().stream().filter(object -> !"Secret".equals(object.get("kind")))
                .map(Object::toString).reduce("", String::concat);
        String encodedMarkers = markers.stream().map(marker -> Base64.getEncoder()
                .encodeToString(marker.getBytes(StandardCharsets.UTF_8))).reduce("", String::concat);
        assertThat(everythingButSecrets).doesNotContain(markers).doesNotContain(encodedMarkers);
    }

    @Test
    void secretsWhenExistingOnesAreNamedRenderNoSecretAndReferToThem() {
        RenderedChart chart = RenderedChart.render("existing-secrets", """
                secrets:
                  existingSecret: vdso-credentials
                database:
                  existingSecret: vdso-db
                  existingSecretPasswordKey: pg-password
                """);
        Node env = chart.one("Deployment").at("spec.template.spec.containers").named("server").at("env");

        assertThat(tlsSecrets(chart)).isEmpty();
        assertThat(env.named("SPRING_DATASOURCE_PASSWORD").at("valueFrom.secretKeyRef").map())
                .isEqualTo(Map.of("name", "vdso-db", "key", "pg-password"));
        assertThat(env.named("VDSO_ENROLL_SECRET").at("valueFrom.secretKeyRef.name").value())
                .isEqualTo("vdso-credentials");
        assertThat(chart.one("DaemonSet").at("spec.template.spec.volumes").named("enroll-secret")
                .at("secret.secretName").value()).isEqualTo("vdso-credentials");
    }

    @Test
    void secretsWhenOnlyOneIsConfiguredFailWithTheFix() {
        assertThatThrownBy(() -> RenderedChart.render("half-secrets", """
                secrets:
                  enrollSecret: only-this-one
                """)).hasMessageContaining("set both secrets.enrollSecret and secrets.adminToken, or neither");
    }

    @Test
    void notesWhenTheDatabaseIsLeftAtTheDefaultWarnAndTellWhereTheTokenIs() {
        String defaults = notes(new Helm(RenderedChart.CHART).install());
        String configured = notes(new Helm(RenderedChart.CHART).install()
                .set("database.url", "jdbc:postgresql://db.example.internal:5432/vdso")
                .set("database.existingSecret", "vdso-db"));

        assertThat(defaults).contains("WARNING: database.url is the chart default")
                .contains("WARNING: no database password is configured")
                .contains("kubectl -n vdso get secret demo-vdso-inventory -o jsonpath='{.data.admin-token}'")
                .contains("curl --cacert vdso-ca.pem")
                .contains("https://demo-vdso-inventory-server.vdso.svc:8080/hosts")
                .contains("reports as often as the service asks");
        assertThat(configured).doesNotContain("WARNING");
    }

    /** NOTES.txt as `helm install --dry-run` prints it (helm-java's template output leaves NOTES out). */
    private static String notes(InstallCommand install) {
        return install.withName(RenderedChart.RELEASE).withNamespace(RenderedChart.NAMESPACE)
                .withKubeVersion(RenderedChart.KUBE_VERSION).clientOnly().dryRun().call().getOutput();
    }

    @Test
    void valuesWhenMisspelledOrMistypedAreRejectedByTheSchema() {
        assertThatThrownBy(() -> RenderedChart.render("misspelled", "server:\n  replicas: 3\n"))
                .hasMessageContaining("values don't meet the specifications").hasMessageContaining("replicas");
        assertThatThrownBy(() -> RenderedChart.render("mistyped", "agent:\n  interval: five minutes\n"))
                .hasMessageContaining("values don't meet the specifications").hasMessageContaining("interval");
    }

    @Test
    void agentWhenDefaultRunsOnEveryNodeUnprivileged() {
        Node pod = DEFAULTS.one("DaemonSet").at("spec.template.spec");
        Node container = pod.at("containers").named("agent");

        assertThat(pod.has("hostPID")).isFalse();
        assertThat(pod.has("hostNetwork")).isFalse();
        assertThat(pod.at("automountServiceAccountToken").value()).isEqualTo(false);
        assertThat(pod.at("securityContext.runAsNonRoot").value()).isEqualTo(true);
        assertThat(pod.at("tolerations").list()).containsExactly(Map.of("operator", "Exists"));
        assertThat(container.at("securityContext").map()).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false).containsEntry("privileged", false)
                .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat(container.at("args").list()).containsExactly("run",
                "--server=https://demo-vdso-inventory-server.vdso.svc:8080", "--ca-file=/run/secrets/vdso-ca/ca.crt",
                "--enroll-secret-file=/run/secrets/vdso/enroll-secret", "--state-dir=/var/lib/vdso-agent",
                "--hostname=$(NODE_NAME)");
        assertThat(container.at("env").named("NODE_NAME").at("valueFrom.fieldRef.fieldPath").value())
                .isEqualTo("spec.nodeName");
        assertThat(pod.at("volumes").named("machine-id").at("hostPath").map())
                .isEqualTo(Map.of("path", "/etc/machine-id", "type", "File"));
    }

    @Test
    void agentWhenScanningProcessesAddsHostPidAndSysPtraceAndTheRootUidTheyNeedOnly() {
        RenderedChart scanning = RenderedChart.render("scan-processes", "agent:\n  scanProcesses: true\n");
        Map<String, Object> plain = DEFAULTS.one("DaemonSet").at("spec.template.spec").map();
        Map<String, Object> scan = scanning.one("DaemonSet").at("spec.template.spec").map();

        assertThat(scan).containsEntry("hostPID", true);
        Node scanContainer = new Node(scan).at("containers").named("agent");
        assertThat(scanContainer.at("securityContext.capabilities").map())
                .isEqualTo(Map.of("drop", List.of("ALL"), "add", List.of("SYS_PTRACE")));
        assertThat(scanContainer.at("securityContext").map()).containsEntry("privileged", false)
                .containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true);
        // a capability granted to a non-root container is never effective, hence uid 0 (with every other one dropped)
        assertThat(new Node(scan).at("securityContext").map()).containsEntry("runAsUser", 0)
                .containsEntry("runAsNonRoot", false);

        assertThat(withoutScanChanges(scan)).isEqualTo(withoutScanChanges(plain));
    }

    /** The agent pod spec less what scanning changes: hostPID, added capabilities, the user, the flag. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutScanChanges(Map<String, Object> podSpec) {
        Map<String, Object> copy = (Map<String, Object>) RenderedChart.parse(new org.yaml.snakeyaml.Yaml().dump(podSpec))
                .get(0);
        copy.remove("hostPID");
        Map<String, Object> podSecurity = (Map<String, Object>) copy.get("securityContext");
        podSecurity.remove("runAsUser");
        podSecurity.remove("runAsNonRoot");
        Map<String, Object> container = ((List<Map<String, Object>>) copy.get("containers")).get(0);
        ((Map<String, Object>) ((Map<String, Object>) container.get("securityContext")).get("capabilities"))
                .remove("add");
        ((List<Object>) container.get("args")).remove("--scan-processes");
        return copy;
    }

    @Test
    void agentWhenLabelsUrlAndExtraArgsAreSetPassesThemAsArguments() {
        RenderedChart chart = RenderedChart.render("agent-options", """
                agent:
                  serverUrl: https://vdso.example.com
                  interval: 1m
                  labels:
                    cluster: prod-eu
                  extraArgs: ["--check-clock"]
                """);

        assertThat(chart.one("DaemonSet").at("spec.template.spec.containers").named("agent").at("args").list())
                .containsExactly("run", "--server=https://vdso.example.com",
                        "--enroll-secret-file=/run/secrets/vdso/enroll-secret", "--state-dir=/var/lib/vdso-agent",
                        "--hostname=$(NODE_NAME)", "--interval=1m", "--label=cluster=prod-eu", "--check-clock");
    }

    @Test
    void agentWhenDisabledRendersNoDaemonSet() {
        assertThat(RenderedChart.render("no-agent", "agent:\n  enabled: false\n").all("DaemonSet")).isEmpty();
    }

    @Test
    void ingressWhenEnabledRoutesTheHostToTheServiceWithTls() {
        RenderedChart chart = RenderedChart.render("ingress", """
                server:
                  ingress:
                    enabled: true
                    className: nginx
                    hosts:
                      - host: vdso.example.com
                        paths: [{path: /, pathType: Prefix}]
                    tls:
                      - secretName: vdso-tls
                        hosts: [vdso.example.com]
                """);
        Node ingress = chart.one("Ingress");

        assertThat(ingress.at("spec.ingressClassName").value()).isEqualTo("nginx");
        assertThat(ingress.at("spec.tls").list()).containsExactly(
                Map.of("secretName", "vdso-tls", "hosts", List.of("vdso.example.com")));
        Node rule = new Node(ingress.at("spec.rules").list().get(0));
        assertThat(rule.at("host").value()).isEqualTo("vdso.example.com");
        assertThat(new Node(rule.at("http.paths").list().get(0)).at("backend.service").map())
                .isEqualTo(Map.of("name", "demo-vdso-inventory-server", "port", Map.of("name", "https")));
        // the pods speak HTTPS only: ingress-nginx re-encrypts
        assertThat(ingress.at("metadata.annotations").map())
                .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "HTTPS");
    }

    @Test
    void autoscalingWhenEnabledOwnsTheReplicaCount() {
        RenderedChart chart = RenderedChart.render("autoscaling", """
                server:
                  autoscaling:
                    enabled: true
                    minReplicas: 3
                    maxReplicas: 9
                """);
        Node hpa = chart.one("HorizontalPodAutoscaler");

        assertThat(chart.one("Deployment").has("spec.replicas")).isFalse();
        assertThat(hpa.at("spec.minReplicas").value()).isEqualTo(3);
        assertThat(hpa.at("spec.maxReplicas").value()).isEqualTo(9);
        assertThat(hpa.at("spec.scaleTargetRef.name").value()).isEqualTo("demo-vdso-inventory-server");
    }

    @Test
    void disruptionBudgetWhenDefaultKeepsAllButOneServerPodAndSelectsOnlyServers() {
        Node pdb = DEFAULTS.one("PodDisruptionBudget");

        assertThat(pdb.at("spec.maxUnavailable").value()).isEqualTo(1);
        assertThat(pdb.at("spec.selector.matchLabels").map()).containsEntry("app.kubernetes.io/component", "server");
        assertThat(RenderedChart.render("no-pdb", "server:\n  podDisruptionBudget:\n    enabled: false\n")
                .all("PodDisruptionBudget")).isEmpty();
    }

    @Test
    void serviceMonitorWhenEnabledScrapesThePrometheusEndpointAsJobVdsoInventory() {
        RenderedChart chart = RenderedChart.render("service-monitor", """
                metrics:
                  serviceMonitor:
                    enabled: true
                    labels:
                      release: kube-prometheus-stack
                """);
        Node monitor = chart.one("ServiceMonitor");
        Node service = chart.one("Service");
        String jobLabel = (String) monitor.at("spec.jobLabel").value();

        // the alert VdsoInventoryDown watches up{job="vdso-inventory"}: the job comes from this Service label
        assertThat(service.at("metadata.labels").map()).containsEntry(jobLabel, "vdso-inventory");
        assertThat(monitor.at("metadata.labels").map()).containsEntry("release", "kube-prometheus-stack");
        assertThat(service.at("metadata.labels").map())
                .containsAllEntriesOf(monitor.at("spec.selector.matchLabels").map());
        Node endpoint = new Node(monitor.at("spec.endpoints").list().get(0));
        assertThat(endpoint.map()).containsEntry("port", "https").containsEntry("path", "/actuator/prometheus")
                .containsEntry("scheme", "https");
        // over TLS, trusting the CA of the server's certificate Secret, checking the name the certificate carries
        assertThat(endpoint.at("tlsConfig.ca.secret").map())
                .isEqualTo(Map.of("name", "demo-vdso-inventory-server-tls", "key", "ca.crt"));
        assertThat(endpoint.at("tlsConfig.serverName").value()).isEqualTo("demo-vdso-inventory-server.vdso.svc");
    }

    @Test
    void tlsWhenDefaultGeneratesAnEcCaAndAServerCertificateForTheServiceNamesOnceAtInstall() throws Exception {
        Node secret = new Node(tlsSecrets(RenderedChart.renderWithHooks("tls-generated", "{}\n")).get(0));
        X509Certificate ca = certificate(secret, "ca.crt");
        X509Certificate server = certificate(secret, "tls.crt");
        String template = Files.readString(RenderedChart.CHART.resolve("templates/server-tls.yaml"),
                StandardCharsets.UTF_8);

        assertThat(secret.at("metadata.name").value()).isEqualTo("demo-vdso-inventory-server-tls");
        server.verify(ca.getPublicKey());
        assertThat(server.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(server.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList()).contains(
                "demo-vdso-inventory-server.vdso.svc", "demo-vdso-inventory-server.vdso.svc.cluster.local");
        assertThat(new String(Base64.getDecoder().decode((String) secret.at("data").map().get("tls.key")),
                StandardCharsets.US_ASCII)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        // an install hook: upgrades keep it, so the agents keep trusting the same CA
        assertThat(template).contains("helm.sh/hook: pre-install");
        assertThat(tlsSecrets(DEFAULTS)).isEmpty();
    }

    /** The Secrets of type kubernetes.io/tls (the server certificate) among the rendered objects. */
    private static List<Map<String, Object>> tlsSecrets(RenderedChart chart) {
        return chart.all("Secret").stream().filter(object -> "kubernetes.io/tls".equals(object.get("type"))).toList();
    }

    private static X509Certificate certificate(Node secret, String key) throws Exception {
        byte[] pem = Base64.getDecoder().decode((String) secret.at("data").map().get(key));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    }

    @Test
    void tlsWhenDefaultServesTheSecretsCertificateWithHttpsProbesAndTheAgentTrustsItsCa() {
        Node server = DEFAULTS.one("Deployment").at("spec.template.spec");
        Node container = server.at("containers").named("server");
        Node agent = DEFAULTS.one("DaemonSet").at("spec.template.spec");

        assertThat(container.at("env").named("VDSO_TLS_ENABLED").at("value").value()).isEqualTo("true");
        assertThat(container.at("env").named("VDSO_TLS_CERTIFICATE").at("value").value())
                .isEqualTo("/etc/vdso-inventory/tls/tls.crt");
        assertThat(container.at("env").named("VDSO_TLS_PRIVATE_KEY").at("value").value())
                .isEqualTo("/etc/vdso-inventory/tls/tls.key");
        assertThat(container.at("volumeMounts").named("tls").map()).containsEntry("mountPath",
                "/etc/vdso-inventory/tls").containsEntry("readOnly", true).doesNotContainKey("subPath");
        assertThat(server.at("volumes").named("tls").at("secret.secretName").value())
                .isEqualTo("demo-vdso-inventory-server-tls");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.at(probe + ".httpGet").map()).as(probe).containsEntry("scheme", "HTTPS")
                    .containsEntry("port", "https");
        }
        assertThat(DEFAULTS.one("Service").at("spec.ports").named("https").map())
                .containsEntry("targetPort", "https").containsEntry("appProtocol", "https");
        assertThat(agent.at("volumes").named("server-ca").at("secret").map())
                .containsEntry("secretName", "demo-vdso-inventory-server-tls")
                .containsEntry("items", List.of(Map.of("key", "ca.crt", "path", "ca.crt")));
        assertThat(agent.at("containers").named("agent").at("volumeMounts").named("server-ca").at("mountPath")
                .value()).isEqualTo("/run/secrets/vdso-ca");
    }

    @Test
    void tlsWhenCertManagerIsEnabledRequestsACertificateFromTheIssuerForTheSameSecret() {
        RenderedChart chart = RenderedChart.renderWithHooks("tls-cert-manager", """
                tls:
                  extraDnsNames: [vdso.example.com]
                  certManager:
                    enabled: true
                    issuerRef: {name: vdso-ca, kind: ClusterIssuer}
                """);
        Node certificate = chart.one("Certificate");

        assertThat(certificate.at("spec.secretName").value()).isEqualTo("demo-vdso-inventory-server-tls");
        assertThat(certificate.at("spec.issuerRef").map()).containsEntry("name", "vdso-ca")
                .containsEntry("kind", "ClusterIssuer").containsEntry("group", "cert-manager.io");
        assertThat(certificate.at("spec.dnsNames").list()).contains("demo-vdso-inventory-server.vdso.svc",
                "vdso.example.com");
        assertThat(certificate.at("spec.privateKey").map()).containsEntry("algorithm", "ECDSA");
        assertThat(tlsSecrets(chart)).isEmpty();
        assertThat(chart.one("Deployment").at("spec.template.spec.volumes").named("tls").at("secret.secretName")
                .value()).isEqualTo("demo-vdso-inventory-server-tls");
        assertThatThrownBy(() -> RenderedChart.render("tls-cert-manager-no-issuer",
                "tls:\n  certManager:\n    enabled: true\n"))
                .hasMessageContaining("tls.certManager.issuerRef.name");
    }

    @Test
    void tlsWhenAnExistingSecretIsNamedMountsItAndCreatesNoCertificate() {
        RenderedChart chart = RenderedChart.renderWithHooks("tls-existing", "tls:\n  existingSecret: my-tls\n");

        assertThat(chart.all("Certificate")).isEmpty();
        assertThat(tlsSecrets(chart)).isEmpty();
        assertThat(chart.one("Deployment").at("spec.template.spec.volumes").named("tls").at("secret.secretName")
                .value()).isEqualTo("my-tls");
        assertThat(chart.one("DaemonSet").at("spec.template.spec.volumes").named("server-ca")
                .at("secret.secretName").value()).isEqualTo("my-tls");
    }

    @Test
    void tlsWhenDisabledServesPlainHttpOnThePodAddressAndTheAgentSaysSoExplicitly() {
        RenderedChart chart = RenderedChart.renderWithHooks("tls-disabled", "tls:\n  enabled: false\n");
        Node container = chart.one("Deployment").at("spec.template.spec.containers").named("server");

        assertThat(container.at("env").named("VDSO_TLS_ENABLED").at("value").value()).isEqualTo("false");
        // plain HTTP binds the loopback address unless given one: the Service could not reach it
        assertThat(container.at("env").named("SERVER_ADDRESS").at("value").value()).isEqualTo("0.0.0.0");
        assertThat(container.at("readinessProbe.httpGet").map()).containsEntry("scheme", "HTTP")
                .containsEntry("port", "http");
        assertThat(container.at("volumeMounts").list()).map(mount -> new Node(mount).at("name").value())
                .doesNotContain("tls");
        assertThat(chart.one("DaemonSet").at("spec.template.spec.containers").named("agent").at("args").list())
                .contains("--server=http://demo-vdso-inventory-server.vdso.svc:8080", "--insecure-http")
                .noneMatch(argument -> ((String) argument).startsWith("--ca-file"));
        assertThat(tlsSecrets(chart)).isEmpty();
    }
}
