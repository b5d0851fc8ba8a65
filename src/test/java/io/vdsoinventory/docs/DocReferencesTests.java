package io.vdsoinventory.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documentation names only files that are in the repository: every relative Markdown link, and every path
 * in backquotes under one of the repository's top-level directories (run output, {@code bench/results/} and
 * {@code target/}, is not in git and not a reference to check).
 */
class DocReferencesTests {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)[^)]*\\)");
    private static final Pattern QUOTED_PATH = Pattern.compile(
            "`((?:src|docs|docker|helm|scripts|bench|\\.ci)/[\\w./-]*|openapi\\.yaml|pom\\.xml)[^`]*`");

    static Stream<Path> documents() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            return files.filter(path -> path.toString().endsWith(".md"))
                    .filter(path -> !path.startsWith("./target") && !path.toString().contains("node_modules"))
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyFileADocumentNamesExists(Path document) throws IOException {
        String text = Files.readString(document, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            String target = link.group(1);
            if (!target.contains("://") && !target.startsWith("mailto:")
                    && !Files.exists(document.getParent().resolve(target))) {
                missing.add(target);
            }
        }
        Matcher quoted = QUOTED_PATH.matcher(text);
        while (quoted.find()) {
            String path = quoted.group(1).replaceAll("[.,:]+$", "");
            if (!path.startsWith("bench/results/") && !Files.exists(Path.of(path))
                    && !Files.exists(document.getParent().resolve(path))) {
                missing.add(path);
            }
        }
        assertThat(missing).as("files %s names that are not in the repository", document).isEmpty();
    }
}
