package io.vdsoinventory.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The alert rules and dashboards have one source, docker/prometheus/alerts.yml and docker/grafana/dashboards: the
 * chart's files/ are symbolic links to them, and what the chart renders equals them.
 */
class ChartObservabilityTests {

    private static final Path ALERTS = Path.of("docker/prometheus/alerts.yml");
    private static final Path DASHBOARDS = Path.of("docker/grafana/dashboards");

    private static final RenderedChart OBSERVED = RenderedChart.render("observability", """
            metrics:
              serviceMonitor:
                enabled: true
              prometheusRule:
                enabled: true
                labels:
                  release: kube-prometheus-stack
              dashboards:
                enabled: true
            """);

    @Test
    void chartFilesWhenResolvedAreTheDockerFiles() throws IOException {
        Path files = RenderedChart.CHART.resolve("files");

        assertThat(Files.isSymbolicLink(files.resolve("alerts.yml"))).isTrue();
        assertThat(files.resolve("alerts.yml").toRealPath()).isEqualTo(ALERTS.toRealPath());
        for (Map.Entry<String, Path> link : dashboardFiles(files.resolve("dashboards")).entrySet()) {
            assertThat(Files.isSymbolicLink(link.getValue())).as(link.getKey()).isTrue();
            assertThat(link.getValue().toRealPath()).isEqualTo(DASHBOARDS.resolve(link.getKey()).toRealPath());
        }
        assertThat(dashboardFiles(files.resolve("dashboards")).keySet())
                .isEqualTo(dashboardFiles(DASHBOARDS).keySet());
    }

    @Test
    void prometheusRuleWhenEnabledHoldsExactlyTheGroupsOfDockerAlerts() throws IOException {
        Map<?, ?> dockerRules = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(ALERTS, StandardCharsets.UTF_8));
        RenderedChart.Node rule = OBSERVED.one("PrometheusRule");

        assertThat((List<?>) dockerRules.get("groups")).isNotEmpty();
        assertThat(rule.at("spec.groups").value()).isEqualTo(dockerRules.get("groups"));
        assertThat(rule.at("metadata.labels").map()).containsEntry("release", "kube-prometheus-stack");
    }

    @Test
    void dashboardsConfigMapWhenEnabledHoldsEveryDockerDashboardByteForByte() throws IOException {
        RenderedChart.Node configMap = OBSERVED.one("ConfigMap");
        Map<String, Object> data = configMap.at("data").map();

        assertThat(configMap.at("metadata.labels").map()).containsEntry("grafana_dashboard", "1");
        assertThat(data.keySet()).isEqualTo(dashboardFiles(DASHBOARDS).keySet());
        for (Map.Entry<String, Path> dashboard : dashboardFiles(DASHBOARDS).entrySet()) {
            assertThat(data.get(dashboard.getKey())).as(dashboard.getKey())
                    .isEqualTo(Files.readString(dashboard.getValue(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void dashboardsWhenAnotherDatasourceUidIsSetDifferOnlyByThatUid() throws IOException {
        RenderedChart chart = RenderedChart.render("dashboards-datasource", """
                metrics:
                  dashboards:
                    enabled: true
                    datasourceUid: prometheus
                """);
        Map<String, Object> data = chart.one("ConfigMap").at("data").map();

        for (Map.Entry<String, Path> dashboard : dashboardFiles(DASHBOARDS).entrySet()) {
            String original = Files.readString(dashboard.getValue(), StandardCharsets.UTF_8);
            assertThat(original).contains("\"uid\": \"vdso-prometheus\"");
            assertThat(data.get(dashboard.getKey())).as(dashboard.getKey())
                    .isEqualTo(original.replace("\"uid\": \"vdso-prometheus\"", "\"uid\": \"prometheus\""));
        }
    }

    @Test
    void packagedChartWhenRenderedCarriesTheSameRulesAndDashboards(@TempDir Path destination) {
        Helm packaged = new Helm(RenderedChart.CHART).packageIt().withDestination(destination).call();
        List<Map<String, Object>> objects = RenderedChart.parse(packaged.template().withName(RenderedChart.RELEASE)
                .withNamespace(RenderedChart.NAMESPACE).withKubeVersion(RenderedChart.KUBE_VERSION)
                .set("metrics.prometheusRule.enabled", true).set("metrics.dashboards.enabled", true).call());
        RenderedChart fromPackage = new RenderedChart(objects);

        assertThat(fromPackage.one("PrometheusRule").at("spec").value())
                .isEqualTo(OBSERVED.one("PrometheusRule").at("spec").value());
        assertThat(fromPackage.one("ConfigMap").at("data").value()).isEqualTo(OBSERVED.one("ConfigMap").at("data").value());
    }

    private static Map<String, Path> dashboardFiles(Path directory) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.filter(path -> path.getFileName().toString().endsWith(".json"))
                    .forEach(path -> files.put(path.getFileName().toString(), path));
        }
        return files;
    }
}
