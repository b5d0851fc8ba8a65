package io.vdsoinventory.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which server process runs the embedded PostgreSQL of a data directory, so that a start after a crash succeeds
 * the first time. The postmaster runs detached from the JVM (pg_ctl daemonizes it), so a {@code kill -9} of the
 * server, or an OOM kill, leaves it running with the data directory's lock; the next start then gave up after
 * ~20 s. Before starting PostgreSQL the server: refuses when the recorded owner, another server process, still
 * runs; otherwise stops a postmaster that still runs in the directory (SIGTERM, its backends are already gone with
 * their client; SIGKILL to it and its children after {@link #STOP_WAIT}), then records itself as the owner
 * ({@code <data-dir>/postgres.owner}: pid and start time, so that a reused pid is not taken for the owner).
 */
final class EmbeddedDatabaseOwner {

    static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseOwner.class);

    private final Path directory;
    private final Path ownerFile;

    /** {@code directory}: the PostgreSQL data directory ({@code <data-dir>/postgres}). */
    EmbeddedDatabaseOwner(Path directory) {
        this.directory = directory.toAbsolutePath();
        this.ownerFile = this.directory.resolveSibling(this.directory.getFileName() + ".owner");
    }

    /** Makes this process the directory's owner, stopping what a crashed owner left running. */
    void claim() {
        Optional<ProcessHandle> owner = recordedOwner().filter(process -> process.pid() != ProcessHandle.current().pid());
        if (owner.isPresent()) {
            throw new IllegalStateException("Another server (pid " + owner.get().pid() + ") runs the embedded "
                    + "database in " + directory + ": stop it first, or give this one another vdso.data-dir");
        }
        postmaster().ifPresent(this::stop);
        record();
    }

    /** The recorded owner, when it still runs (same pid and start time). */
    private Optional<ProcessHandle> recordedOwner() {
        List<String> fields;
        try {
            fields = List.of(Files.readString(ownerFile, StandardCharsets.US_ASCII).strip().split(" "));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + ownerFile, e);
        }
        if (fields.size() != 2 || !fields.get(0).matches("[0-9]{1,10}")) {
            return Optional.empty(); // not ours: a half-written file of a crash
        }
        return ProcessHandle.of(Long.parseLong(fields.get(0))).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().startInstant().map(Instant::toString).orElse("")
                        .equals(fields.get(1)));
    }

    /** The postmaster of {@code postmaster.pid} when it runs in this directory (its working directory). */
    private Optional<ProcessHandle> postmaster() {
        String pid;
        try {
            pid = Files.readAllLines(directory.resolve("postmaster.pid"), StandardCharsets.US_ASCII).stream()
                    .findFirst().orElse("").strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + directory.resolve("postmaster.pid"), e);
        }
        if (!pid.matches("[0-9]{1,10}")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).filter(this::runsInDirectory);
    }

    private boolean runsInDirectory(ProcessHandle process) {
        try {
            return Files.isSameFile(Path.of("/proc", Long.toString(process.pid()), "cwd"), directory);
        } catch (IOException e) {
            return false; // gone, or not ours to inspect
        }
    }

    private void stop(ProcessHandle postmaster) {
        log.warn("A PostgreSQL postmaster (pid {}) still runs in {}, left by a server that did not stop (a crash or "
                + "kill -9): stopping it before starting the embedded database", postmaster.pid(), directory);
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroy();
        if (!await(postmaster)) {
            log.warn("The postmaster {} did not stop within {}: killing it and its {} children", postmaster.pid(),
                    STOP_WAIT, children.size());
            children.forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
            await(postmaster);
        }
        children.forEach(EmbeddedDatabaseOwner::await);
    }

    private static boolean await(ProcessHandle process) {
        try {
            process.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void record() {
        ProcessHandle self = ProcessHandle.current();
        String line = self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("unknown") + "\n";
        try {
            Path temporary = Files.createTempFile(ownerFile.getParent(), ".postgres.owner", ".tmp");
            Files.writeString(temporary, line, StandardCharsets.US_ASCII);
            Files.move(temporary, ownerFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + ownerFile, e);
        }
    }
}
