package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent runs on every host and must start fast: the packaged jar's agent mode loads no Spring context
 * classes (Boot's jar launcher, org.springframework.boot.loader, is expected and allowed).
 */
class AgentWithoutSpringIT {

    @Test
    void inspectOfTheLiveVdsoLoadsNoSpringContextClasses() throws Exception {
        AgentProcess agent = AgentProcess.agent(List.of("-verbose:class"), "inspect", "--json");

        assertThat(agent.exitCode()).as(agent.stderr()).isZero();
        assertThat(agent.stdout()).contains("\"sha256\"", "linux-vdso.so.1");
        // -verbose:class prints one "[class,load] NAME source: ..." line per loaded class
        assertThat(agent.stdout()).contains("io.vdsoinventory.agent.InspectCommand", "picocli.CommandLine",
                        "io.vdsoinventory.host.JnaNativeProcess", "tools.jackson.databind.json.JsonMapper")
                .doesNotContain("org.springframework.context.", "org.springframework.boot.SpringApplication",
                        "org.springframework.beans.");
    }
}
