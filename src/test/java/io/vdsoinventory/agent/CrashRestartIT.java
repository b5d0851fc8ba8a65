package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL starts again on the first try, on the same data: the embedded postmaster it left
 * running is stopped first, and one postmaster runs in the directory afterwards.
 */
class CrashRestartIT {

    @TempDir
    Path dir;

    private ServerProcess server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        postmaster().ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void aKilledServerStartsAgainFirstTimeWithItsDataAndOnePostmaster() throws Exception {
        server = ServerProcess.start(dir);
        AgentProcess reported = AgentProcess.agent(List.of(), "report", "--server=" + server.url(), server.trustOption(),
                "--enroll-secret-file=" + server.enrollSecretFile(), "--host-key=crash-it", "--hostname=crash-it");
        assertThat(reported.exitCode()).as(reported.stderr()).isZero();
        ProcessHandle orphan = postmaster().orElseThrow();

        server.crash();
        assertThat(orphan.isAlive()).as("the postmaster outlives a killed server (pg_ctl detached it)").isTrue();

        server.start();
        assertThat(orphan.isAlive()).as("the orphaned postmaster was stopped").isFalse();
        assertThat(postmaster()).isPresent().get().isNotEqualTo(orphan);
        assertThat(server.log()).contains("A PostgreSQL postmaster (pid " + orphan.pid() + ") still runs in");
        assertThat(server.read("/hosts?q=crash-it").path("items").size()).isEqualTo(1);
    }

    /** The postmaster of postmaster.pid, when it runs. */
    private Optional<ProcessHandle> postmaster() {
        Path pidFile = server == null ? null : server.data().resolve("postgres/postmaster.pid");
        try {
            if (pidFile == null || !Files.exists(pidFile)) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).strip()))
                    .filter(ProcessHandle::isAlive);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
