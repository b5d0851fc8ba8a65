package io.vdsoinventory.deploy;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects {@code helm template} renders from helm/vdso-inventory with some values, as YAML maps. Each rendering
 * is also written to {@code target/helm-template/<variant>.yaml}, where scripts/lint-deploy.sh type-checks it
 * against the Kubernetes schemas.
 */
record RenderedChart(List<Map<String, Object>> objects) {

    static final Path CHART = Path.of("helm/vdso-inventory");
    static final String RELEASE = "demo";
    static final String NAMESPACE = "vdso";
    private static final Path OUTPUT = Path.of("target/helm-template");
    /** The oldest Kubernetes the chart supports (Chart.yaml kubeVersion); helm-java would assume 1.20 otherwise. */
    static final String KUBE_VERSION = "1.25.0";

    /** Renders the chart with {@code values} (a values.yaml text) as the variant {@code name}. */
    static RenderedChart render(String name, String values) {
        return render(CHART, name, values);
    }

    private static RenderedChart render(Path chart, String name, String values) {
        try {
            Files.createDirectories(OUTPUT);
            Path valuesFile = OUTPUT.resolve("values").resolve(name + ".yaml");
            Files.createDirectories(valuesFile.getParent());
            Files.writeString(valuesFile, values, StandardCharsets.UTF_8);
            String yaml = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION).withValuesFile(valuesFile).call();
            Files.writeString(OUTPUT.resolve(name + ".yaml"), yaml, StandardCharsets.UTF_8);
            return new RenderedChart(parse(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Renders as {@link #render} but with the chart's hooks as plain objects: helm-java's template leaves hook
     * objects (the Secrets generated once at install) out of its output. A copy of the chart without the
     * {@code helm.sh/hook*} annotations is rendered.
     */
    static RenderedChart renderWithHooks(String name, String values) {
        Path copy = OUTPUT.resolve("chart-with-hooks");
        try {
            try (Stream<Path> old = Files.exists(copy) ? Files.walk(copy) : Stream.empty()) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
            try (Stream<Path> files = Files.walk(CHART)) {
                for (Path source : files.toList()) {
                    Path target = copy.resolve(CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        // symbolic links (files/ points into docker/) are copied as their content
                        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                                .filter(line -> !line.strip().startsWith("helm.sh/hook")).toList();
                        Files.write(target, lines, StandardCharsets.UTF_8);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return render(copy, name, values);
    }

    /** Parses every YAML document of {@code yaml}, skipping empty ones. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return objects;
    }

    /** The rendered objects of one kind. */
    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(object -> kind.equals(object.get("kind"))).toList();
    }

    /** The one rendered object of {@code kind}; fails when there is none or more than one. */
    Node one(String kind) {
        List<Map<String, Object>> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", rendered " + found.size());
        }
        return new Node(found.get(0));
    }

    /** A node of a rendered object, navigated by dotted paths ({@code spec.template.spec}). */
    record Node(Object node) {

        Node at(String path) {
            Object current = node;
            for (String key : path.split("\\.")) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                    throw new AssertionError("no " + path + " (missing '" + key + "') in " + node);
                }
                current = map.get(key);
            }
            return new Node(current);
        }

        boolean has(String path) {
            Object current = node;
            for (String key : path.split("\\.")) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                    return false;
                }
                current = map.get(key);
            }
            return true;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map() {
            return (Map<String, Object>) Objects.requireNonNull(node);
        }

        @SuppressWarnings("unchecked")
        List<Object> list() {
            return (List<Object>) Objects.requireNonNull(node);
        }

        /** The element of a list of maps whose {@code name} is {@code name} (containers, env, volumes). */
        Node named(String name) {
            return list().stream().map(Node::new).filter(item -> name.equals(item.map().get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("nothing named " + name + " in " + node));
        }

        Object value() {
            return node;
        }
    }
}
