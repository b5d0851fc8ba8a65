package io.vdsoinventory.server.ingest;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.protocol.ImageReceipt;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.ReportResponse;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.server.fleet.HostEventKind;
import io.vdsoinventory.server.fleet.HostReported;
import io.vdsoinventory.server.fleet.ImageStatus;
import io.vdsoinventory.server.fleet.ImageStored;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rules of the agent protocol. Every write of one request happens in one transaction, so a rejected request
 * writes nothing; the single exception is the bytes of an unparseable image, which are kept as evidence.
 */
@Service
public class IngestService {

    private final HostWriter hosts;
    private final KernelIds kernels;
    private final HeartbeatBatcher heartbeats;
    private final ImageWriter images;
    private final IngestLimiter limiter;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final int nextReportSeconds;

    IngestService(HostWriter hosts, KernelIds kernels, HeartbeatBatcher heartbeats, ImageWriter images,
            IngestLimiter limiter, TransactionTemplate transaction, ApplicationEventPublisher events,
            VdsoProperties properties) {
        this.hosts = hosts;
        this.kernels = kernels;
        this.heartbeats = heartbeats;
        this.images = images;
        this.limiter = limiter;
        this.transaction = transaction;
        this.events = events;
        this.nextReportSeconds = Math.toIntExact(properties.ingest().reportInterval().toSeconds());
    }

    /**
     * Applies a report of {@code hostId} once per report id: a retry gets the same kind of answer and changes
     * nothing; a report id already used by another host is a conflict. Only reports that changed the host's state
     * are remembered (a steady heartbeat applied twice changes nothing), so the table of report ids grows with
     * changes, not with heartbeats. A steady heartbeat is written by one statement shared with concurrent ones
     * ({@link HeartbeatBatcher}); any other report compares and writes in a transaction of its own.
     */
    public Reported report(long hostId, ReportRequest report) {
        Applied applied;
        try (IngestLimiter.Permit permit = limiter.acquire()) {
            String image = report.vdso() == null ? null : report.vdso().sha256();
            int kernelId = kernels.idOf(report.kernel());
            // spool drop counts are history to record, so such a report never takes the steady fast path
            Optional<HeartbeatBatcher.Steady> steady = carriesDrops(report) ? Optional.empty()
                    : heartbeats.apply(hostId, kernelId, report);
            applied = steady.map(s -> new Applied(new HostReported(hostId, image, Set.of(), s.detectionStale(),
                            report.processScan(), report.clockCheck()),
                            s.imageStored()))
                    .orElseGet(() -> Objects.requireNonNull(
                            transaction.execute(status -> apply(hostId, kernelId, report))));
        }
        if (applied.event() != null) {
            events.publishEvent(applied.event());
        }
        boolean imageNeeded = report.vdso() != null && !applied.imageStored();
        return new Reported(new ReportResponse(hostId, imageNeeded, nextReportSeconds), applied.event() == null);
    }

    /** What applying a report did: the event to publish (null for a retry) and whether the image is stored. */
    private record Applied(@Nullable HostReported event, boolean imageStored) {
    }

    /** The answer to a report; {@code duplicate} when it was a retry answered without applying it again. */
    public record Reported(ReportResponse answer, boolean duplicate) {
    }

    private Applied apply(long hostId, int kernelId, ReportRequest report) {
        String image = report.vdso() == null ? null : report.vdso().sha256();
        HostWriter.State before = hosts.lockState(hostId, image);
        Optional<Long> sender = hosts.reportOwner(report.reportId());
        if (sender.isPresent()) {
            if (sender.get() != hostId) {
                throw usedByAnotherHost(report);
            }
            return new Applied(null, before.reportedImageStored());
        }
        HostWriter.ReportEvents timeline = hosts.reportEvents(hostId, report.observedAt());
        // no labels in a report keep the host's labels: an agent and the in-process reporter can share a host
        Map<String, String> labels = report.labels() == null ? before.labels() : report.labels();
        Set<HostEventKind> changes = EnumSet.noneOf(HostEventKind.class);
        if (before.kernelRelease() == null) {
            Map<String, @Nullable Object> initial = detail("kernelRelease", report.kernel().release(), "imageSha256", image);
            initial.put("labels", labels);
            timeline.append(HostEventKind.FIRST_REPORT, initial);
            changes.add(HostEventKind.FIRST_REPORT);
        } else {
            String kernelBefore = kernel(before.kernelRelease(), before.kernelVersion(), before.kernelBuildId());
            String kernelAfter = kernel(report.kernel().release(), report.kernel().version(), report.kernel().buildId());
            record(timeline, changes, HostEventKind.KERNEL_CHANGED, kernelBefore, kernelAfter);
            record(timeline, changes, HostEventKind.REBOOTED, before.bootId(), report.kernel().bootId());
            record(timeline, changes, HostEventKind.IMAGE_CHANGED, before.imageSha256(), image);
            if (!before.labels().equals(labels)) {
                timeline.append(HostEventKind.LABELS_CHANGED, detail("from", before.labels(), "to", labels));
                changes.add(HostEventKind.LABELS_CHANGED);
            }
        }
        record(timeline, changes, HostEventKind.HOSTNAME_CHANGED, before.hostname(), report.hostname());
        boolean dropsReported = recordDrops(timeline, report);
        if (!changes.isEmpty() || dropsReported) {
            try {
                hosts.rememberReport(report.reportId(), hostId);
            } catch (DuplicateKeyException e) {
                // this host's reports are serialised by its row lock, so the other sender is another host
                throw usedByAnotherHost(report);
            }
        }
        boolean detectionStale = hosts.update(hostId, kernelId, report, labels, !changes.isEmpty());
        return new Applied(new HostReported(hostId, image, changes, detectionStale,
                report.processScan(), report.clockCheck()), before.reportedImageStored());
    }

    /**
     * An agent's spool drops are part of the host's history, not of its state: an event of their own, and the
     * report id remembered so that a retry does not count them twice.
     */
    private boolean recordDrops(HostWriter.ReportEvents timeline, ReportRequest report) {
        if (!carriesDrops(report)) {
            return false;
        }
        timeline.append(HostEventKind.OBSERVATIONS_DROPPED, detail(
                "droppedHeartbeats", Objects.requireNonNullElse(report.droppedHeartbeats(), 0),
                "droppedChanges", Objects.requireNonNullElse(report.droppedChanges(), 0)));
        return true;
    }

    private static boolean carriesDrops(ReportRequest report) {
        return Objects.requireNonNullElse(report.droppedHeartbeats(), 0) > 0
                || Objects.requireNonNullElse(report.droppedChanges(), 0) > 0;
    }

    private static ApiException usedByAnotherHost(ReportRequest report) {
        return ApiException.of(ProblemKind.CONFLICT, "Report id " + report.reportId() + " was already used by another host");
    }

    private void record(HostWriter.ReportEvents timeline, Set<HostEventKind> changes, HostEventKind kind,
            @Nullable String from, @Nullable String to) {
        if (!Objects.equals(from, to)) {
            timeline.append(kind, detail("from", from, "to", to));
            changes.add(kind);
        }
    }

    private static String kernel(@Nullable String release, @Nullable String version, @Nullable String buildId) {
        return release + " " + Objects.toString(version, "") + " build-id " + Objects.toString(buildId, "none");
    }

    private static Map<String, @Nullable Object> detail(String key1, @Nullable Object value1, String key2,
            @Nullable Object value2) {
        Map<String, @Nullable Object> detail = new LinkedHashMap<>();
        detail.put(key1, value1);
        detail.put(key2, value2);
        return detail;
    }

    /**
     * Stores the bytes of the image {@code hostId} reported as {@code sha256}, hashed and parsed here. Wrong hash:
     * 422, nothing written. Unparseable: kept as evidence marked malformed, then 422. Already stored: answered
     * from what is stored.
     */
    public Upload upload(long hostId, String sha256, byte[] bytes) {
        try (IngestLimiter.Permit permit = limiter.acquire()) {
            String actual = Sha256.of(bytes);
            if (!actual.equals(sha256)) {
                throw ApiException.of(ProblemKind.UNPROCESSABLE_IMAGE,
                        "The bytes hash to " + actual + ", not to " + sha256);
            }
            if (!hosts.currentImage(hostId).map(sha256::equals).orElse(false)) {
                throw ApiException.of(ProblemKind.CONFLICT,
                        "Image " + sha256 + " is not the one this host reported last: report it first");
            }
            Optional<ImageWriter.Stored> stored = images.find(sha256);
            if (stored.isPresent()) {
                return answer(sha256, stored.get(), false);
            }
            ImageWriter.Stored outcome;
            boolean created;
            try {
                AnalyzedImage image = AnalyzedImage.of(bytes);
                created = Boolean.TRUE.equals(transaction.execute(status -> images.insertAnalyzed(sha256, bytes, image)));
                outcome = new ImageWriter.Stored(ImageStatus.ANALYZED, "");
            } catch (ElfFormatException e) {
                created = images.insertMalformed(sha256, bytes, e.getMessage());
                outcome = new ImageWriter.Stored(ImageStatus.MALFORMED, e.getMessage());
            }
            if (created) {
                events.publishEvent(new ImageStored(sha256, outcome.status()));
            }
            return answer(sha256, created ? outcome : images.find(sha256).orElseThrow(), created);
        }
    }

    /** The outcome of an accepted upload: {@code created} when these bytes were new. */
    public record Upload(ImageReceipt receipt, boolean created) {
    }

    private static Upload answer(String sha256, ImageWriter.Stored stored, boolean created) {
        if (stored.status() == ImageStatus.MALFORMED) {
            throw ApiException.of(ProblemKind.UNPROCESSABLE_IMAGE,
                    "Image " + sha256 + " is not a readable ELF image (kept as evidence): " + stored.parseError());
        }
        return new Upload(new ImageReceipt(sha256, stored.status().name()), created);
    }
}
