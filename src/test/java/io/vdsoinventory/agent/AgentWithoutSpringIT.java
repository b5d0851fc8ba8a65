package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent runs on every host and must start fast: the packaged jar's agent mode loads no Spring context
 * classes (Boot's jar launcher, org.springframework.boot.loader, is expected and allowed).
 */
class AgentWithoutSpringIT {

    @TempDir
    Path dir;

    @Test
    void agentCommandLoadsNoSpringContextClasses() throws Exception {
        AgentProcess agent = AgentProcess.agent(List.of("-verbose:class"), "extract", dir.resolve("v.so").toString());

        assertThat(agent.exitCode()).as(agent.stderr()).isZero();
        // -verbose:class prints one "[class,load] NAME source: ..." line per loaded class
        assertThat(agent.stdout()).contains("io.vdsoinventory.agent.ExtractCommand", "picocli.CommandLine")
                .doesNotContain("org.springframework.context.", "org.springframework.boot.SpringApplication",
                        "org.springframework.beans.");
    }
}
