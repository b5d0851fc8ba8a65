package io.vdsoinventory.server.ingest;

import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.HostReadException;
import io.vdsoinventory.host.KernelIdentity;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.protocol.KernelFacts;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.ReportResponse;
import io.vdsoinventory.protocol.VdsoFacts;
import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.security.Enrollment;
import io.vdsoinventory.vdso.ImageFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.TaskScheduler;

/**
 * The in-process agent: reports the server's own host at start and at every report interval, straight into
 * {@link IngestService}, so that a new user sees one host at once. Created by {@link SelfReportConfiguration}.
 */
class SelfReporter {

    private static final Logger log = LoggerFactory.getLogger(SelfReporter.class);

    private final IngestService ingest;
    private final Enrollment enrollment;
    private final TaskScheduler scheduler;
    private final Duration interval;
    private final @Nullable String configuredHostKey;
    private @Nullable Long hostId;
    private @Nullable String lastProblem;

    SelfReporter(IngestService ingest, Enrollment enrollment, TaskScheduler scheduler, VdsoProperties properties) {
        this.ingest = ingest;
        this.enrollment = enrollment;
        this.scheduler = scheduler;
        this.interval = properties.ingest().reportInterval();
        this.configuredHostKey = properties.selfReport().hostKey();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::reportOnce, Instant.now(), interval);
    }

    /** One report of this host; failures are logged (once per distinct reason) and retried at the next interval. */
    synchronized void reportOnce() {
        try {
            KernelIdentity identity = LinuxHost.kernelIdentity();
            Optional<CapturedVdso> vdso = LinuxHost.captureVdso();
            if (hostId == null) {
                String hostKey = configuredHostKey != null ? configuredHostKey : identity.machineId();
                if (hostKey == null) {
                    throw new HostReadException("this host has no /etc/machine-id: set vdso.self-report.host-key");
                }
                hostId = enrollment.registerInProcess(hostKey, identity.hostname());
            }
            VdsoFacts facts = vdso.map(captured -> ImageFacts.of(captured.bytes())).orElse(null);
            ReportResponse answer = ingest.report(hostId, new ReportRequest(UUID.randomUUID(), identity.hostname(),
                    null, new KernelFacts(identity.release(), identity.version(),
                            identity.machine(), identity.buildId(), identity.bootId()), facts, null)).answer();
            if (answer.imageNeeded() && facts != null) {
                ingest.upload(hostId, facts.sha256(), vdso.get().bytes());
            }
            lastProblem = null;
        } catch (HostReadException | ApiException | DataAccessException e) {
            String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!problem.equals(lastProblem)) {
                log.warn("Self-report of this host failed (retried every {}): {}", interval, problem);
                lastProblem = problem;
            }
        }
    }
}
