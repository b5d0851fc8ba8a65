package io.vdsoinventory.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command as a real process (the packaged agent, objdump, readelf) and keeps its exit code and output. */
record AgentProcess(int exitCode, String stdout, String stderr) {

    private static final long TIMEOUT_SECONDS = ServerProcess.ALLOWANCE.toSeconds();

    /** {@code java [jvmOptions] -jar target/vdso-inventory.jar agent args...}. */
    static AgentProcess agent(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return launched(List.of(), jar(), jvmOptions, args);
    }

    /** The packaged agent started by {@code launcher} (e.g. {@code setpriv} as another user), as {@link #agent}. */
    static AgentProcess launched(List<String> launcher, Path jar, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("agent");
        command.addAll(List.of(args));
        return run(command);
    }

    static AgentProcess run(List<String> command) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("agent-it", ".out");
        Path stderr = Files.createTempFile("agent-it", ".err");
        try {
            // stdin at its end at once: openssl s_client, for one, would wait on it for the server to hang up
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new AgentProcess(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** The jar failsafe points at (vdso-inventory.jar system property), falling back to the build's default path. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("vdso-inventory.jar", "target/vdso-inventory.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: run `mvn verify` (the *IT tests need the packaged jar)");
        }
        return jar;
    }
}
