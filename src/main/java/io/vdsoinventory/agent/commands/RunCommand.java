package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.daemon.AgentLoop;
import io.vdsoinventory.agent.daemon.Backoff;
import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.daemon.Delivery;
import io.vdsoinventory.agent.daemon.EventLog;
import io.vdsoinventory.agent.ExitCode;
import io.vdsoinventory.agent.daemon.HeartbeatInterval;
import io.vdsoinventory.agent.daemon.HostObserver;
import io.vdsoinventory.agent.daemon.NodeKeyStore;
import io.vdsoinventory.agent.daemon.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agent run}: the daemon. Observes the host, spools every observation on disk and delivers the spool to the
 * service in order (see {@link AgentLoop}, {@link Spool}, {@link Delivery}). SIGTERM or SIGINT finish the step in
 * progress and exit 0; everything not yet delivered stays in the spool for the next start.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Report this host's vDSO to an inventory service for as long as it runs: at the interval, "
                + "at once on a change of image, kernel or boot, through outages (an on-disk spool).")
final class RunCommand implements Callable<Integer> {

    /** How long SIGTERM waits for the step in progress (an HTTP request gives up after 40 s, its deadline). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(45);
    private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ReportingOptions reporting;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/vdso-agent",
            description = "node key and spool (default: ${DEFAULT-VALUE})")
    private Path stateDir;

    @Option(names = "--interval", paramLabel = "DURATION", converter = IntervalConverter.class,
            description = "heartbeat interval, jittered by 10%% (default: what the service asks, nextReportSeconds, "
                    + "within 10s..24h; 5m until it answers)")
    private Duration interval;

    @Option(names = "--check-every", paramLabel = "DURATION", defaultValue = "30s", converter = IntervalConverter.class,
            description = "how often to look for a change of image, kernel or boot (default: ${DEFAULT-VALUE})")
    private Duration checkEvery;

    @Option(names = "--max-backoff", paramLabel = "DURATION", defaultValue = "5m", converter = IntervalConverter.class,
            description = "longest wait between delivery attempts during an outage (default: ${DEFAULT-VALUE})")
    private Duration maxBackoff;

    @Option(names = "--spool-max-bytes", paramLabel = "BYTES", defaultValue = "8388608",
            description = "cap of the on-disk spool; when full, heartbeats are dropped before changes (default: ${DEFAULT-VALUE})")
    private long spoolMaxBytes;

    @Option(names = "--image", paramLabel = "FILE",
            description = "report this vDSO image file, re-read at every check, instead of the live vDSO (simulations, tests)")
    private Path image;

    @Override
    public Integer call() throws CommandFailure {
        EventLog log = new EventLog(spec.commandLine().getErr());
        Spool spool = openStateDir(log);
        Backoff backoff = new Backoff(BACKOFF_BASE, maxBackoff.compareTo(BACKOFF_BASE) < 0 ? BACKOFF_BASE : maxBackoff,
                new Random());
        HeartbeatInterval heartbeats = new HeartbeatInterval(interval, new Random(), Instant.now());
        Delivery delivery = new Delivery(reporting.client(log::event), new NodeKeyStore(stateDir),
                reporting.secret, reporting.hostKey != null ? reporting.hostKey : HostObserver.machineId(), backoff,
                heartbeats, log);
        delivery.resumeBacklog(spool);
        AgentLoop loop = new AgentLoop(
                new HostObserver(image, reporting.hostname, reporting.scanProcesses, reporting.checkClock, log.writer()),
                spool, delivery, reporting.labelsOrKept(), heartbeats, checkEvery, log);

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> stopGracefully(stop, finished, log), "vdso-agent-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        log.event("started: server " + reporting.server + ", interval " + (interval != null ? interval : "as the service asks")
                + ", spool " + spool.size()
                + " observations waiting");
        try {
            loop.run(stop);
        } catch (IOException e) {
            throw new CommandFailure("cannot write the spool in " + stateDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
        }
        return ExitCode.OK.code();
    }

    /**
     * The shutdown hook: asks the loop to stop, waits for the step in progress, and then ends the JVM with status
     * 0 (a JVM ended by SIGTERM otherwise exits 143). Spool records are on disk as soon as they are written, so
     * there is nothing else to flush.
     */
    private static void stopGracefully(CountDownLatch stop, CountDownLatch finished, EventLog log) {
        stop.countDown();
        try {
            if (finished.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.event("stopped");
                Runtime.getRuntime().halt(ExitCode.OK.code());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Spool openStateDir(EventLog log) throws CommandFailure {
        try {
            if (!Files.isDirectory(stateDir)) {
                Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Spool spool = Spool.open(stateDir.resolve("spool"), spoolMaxBytes);
            if (spool.discardedAtOpen() > 0) {
                log.event("discarded " + spool.discardedAtOpen() + " damaged spool records");
            }
            return spool;
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandFailure("cannot open the state directory " + stateDir + ": " + e.getMessage(), e);
        }
    }
}
