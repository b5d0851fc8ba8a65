package io.vdsoinventory.server.detection;

import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.server.AfterCommit;
import io.vdsoinventory.server.detection.HostDetectionStore.Host;
import io.vdsoinventory.server.detection.HostDetectionStore.Recorded;
import io.vdsoinventory.server.findings.FindingStore;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.ImageStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates one host against every rule, inside the caller's transaction, and reconciles its findings: opens the
 * ones whose condition holds, resolves the ones whose condition cleared. Idempotent: evaluating an unchanged host
 * again changes nothing. Reads only the host, its image's cached verdict, its live findings and its cohorts.
 */
@Component
class HostEvaluator {

    /** The kinds an analysed (or malformed) image decides; a pending image leaves them as they are. */
    private static final Set<FindingKind> IMAGE_KINDS = EnumSet.of(FindingKind.UNKNOWN_SYMBOL,
            FindingKind.UNEXPECTED_VERSION, FindingKind.STRUCTURAL_ANOMALY, FindingKind.BLOCKED_IMAGE,
            FindingKind.UNTRUSTED_IMAGE, FindingKind.PEER_MISMATCH);

    /** The kinds whose evidence follows the host's latest observation while the finding stays open. */
    private static final Set<FindingKind> REFRESHED_KINDS = EnumSet.of(FindingKind.PROCESS_VDSO_MISMATCH,
            FindingKind.INCOMPLETE_SCAN);

    private final HostDetectionStore store;
    private final HostRules rules;
    private final ImageVerdicts imageVerdicts;
    private final AgentEvidence agentEvidence;
    private final Cohorts cohorts;
    private final FindingStore findings;
    private final DetectionMetrics metrics;
    private final JsonMapper json;

    HostEvaluator(HostDetectionStore store, HostRules rules, ImageVerdicts imageVerdicts, AgentEvidence agentEvidence,
            Cohorts cohorts, FindingStore findings, DetectionMetrics metrics, JsonMapper json) {
        this.store = store;
        this.rules = rules;
        this.imageVerdicts = imageVerdicts;
        this.agentEvidence = agentEvidence;
        this.cohorts = cohorts;
        this.findings = findings;
        this.metrics = metrics;
        this.json = json;
    }

    private record Key(FindingKind kind, String subject) {
    }

    /**
     * One evaluation's verdicts: the kinds judged (a live finding of a judged kind that is not desired resolves)
     * and the findings whose condition holds, with their evidence, in the order they open; the live findings
     * kept as they are.
     */
    private record Verdicts(Set<FindingKind> judged, Map<Key, Map<String, @Nullable Object>> desired, Set<Key> kept) {

        void hold(FindingKind kind, String subject, Map<String, @Nullable Object> evidence) {
            desired.put(new Key(kind, subject), evidence);
        }

        /** Keeps a live finding as it is: its condition is not judged now, so it neither resolves nor changes. */
        void keep(Key key) {
            kept.add(key);
        }
    }

    /**
     * Evaluates {@code hostId} (locking its row, as ingest does) with what its report observed (the stored
     * observation where it says nothing) and returns the cohorts whose baseline changed, which the caller
     * re-evaluates after commit.
     */
    List<Cohort> evaluate(long hostId, AgentEvidence.Observed reported) {
        Optional<Host> loaded = store.lock(hostId);
        if (loaded.isEmpty()) {
            return List.of();
        }
        Host host = loaded.get();
        AgentEvidence.Observed observed = reported.or(host.stored());
        List<FindingStore.Live> live = findings.live(host.id());
        Verdicts verdicts = new Verdicts(EnumSet.of(FindingKind.NO_VDSO, FindingKind.HOST_SILENT),
                new LinkedHashMap<>(), new HashSet<>());
        List<Cohort> changedCohorts = new ArrayList<>();
        Recorded recorded = judgeImage(host, live, verdicts, changedCohorts);
        judgeAgentEvidence(observed, verdicts);
        reconcile(host, live, verdicts);
        store.save(host, observed, recorded);
        return changedCohorts;
    }

    /**
     * The rules of the host's image and of its cohorts, moving the host's cohort counts to where its image puts
     * it; what detection records of the host afterwards. A pending image (reported, bytes not yet analysed)
     * leaves the image's findings and the host's memberships as they are until its bytes are analysed.
     */
    private Recorded judgeImage(Host host, List<FindingStore.Live> live, Verdicts verdicts,
            List<Cohort> changedCohorts) {
        Recorded before = host.before();
        if (host.image() != null && host.status() == null) {
            return before == null ? Recorded.NONE : before;
        }
        verdicts.judged().addAll(IMAGE_KINDS);
        if (host.image() == null) {
            verdicts.hold(FindingKind.NO_VDSO, "", rules.noVdso(host));
        } else {
            imageVerdicts.of(host.image()).orElseThrow().forEach(f -> verdicts.hold(f.kind(), f.subject(), f.evidence()));
        }
        Recorded after = before == null ? Recorded.NONE
                : new Recorded(before.seenNormalized(), before.seenBootId(), before.seenKernel(), null, null);
        if (host.status() == ImageStatus.ANALYZED) {
            String normalized = Objects.requireNonNull(host.normalized());
            rules.trust(host).ifPresent(raised -> verdicts.hold(raised.kind(), raised.subject(), raised.evidence()));
            rules.transition(host, before).ifPresent(transition -> open(host, transition));
            Membership build = host.buildId() == null ? null
                    : new Membership(Cohort.build(host.buildId()), normalized);
            Membership kernel = new Membership(Cohort.kernel(json, host.kernelIdentity()),
                    Cohort.kernelVariant(host.buildId(), normalized));
            after = new Recorded(normalized, host.bootId(), host.kernel(), build, kernel);
        }
        List<Membership> joined = Membership.present(after.build(), after.kernel());
        cohorts.move(before == null ? List.of() : Membership.present(before.build(), before.kernel()), joined);
        for (Membership membership : joined) {
            judgePeers(host, membership, live, verdicts, changedCohorts);
        }
        return after;
    }

    private void open(Host host, HostRules.Raised transition) {
        Optional<Long> opened = findings.open(host.id(), transition.kind(), transition.subject(), transition.evidence());
        if (transition.kind() == FindingKind.KERNEL_DRIFT && opened.isPresent()) {
            String arch = Objects.requireNonNullElse(host.imageArch(), host.arch());
            AfterCommit.run(() -> metrics.drift(arch));
        }
    }

    private void judgePeers(Host host, Membership membership, List<FindingStore.Live> live, Verdicts verdicts,
            List<Cohort> changedCohorts) {
        Cohorts.Baseline baseline = cohorts.baseline(membership.cohort());
        if (baseline.changed()) {
            changedCohorts.add(membership.cohort());
        }
        Key key = new Key(FindingKind.PEER_MISMATCH, membership.cohort().key());
        boolean alreadyOpen = live.stream().anyMatch(f -> new Key(f.kind(), f.subject()).equals(key));
        if (baseline.source() == Cohorts.Source.NONE) {
            // nothing to compare with: a host judged different before stays so, with that evidence, until an
            // admin decides (a block or lost quorum says nothing about its bytes)
            if (alreadyOpen) {
                verdicts.keep(key);
            }
            return;
        }
        rules.peerMismatch(host, membership, baseline, alreadyOpen)
                .ifPresent(evidence -> verdicts.hold(key.kind(), key.subject(), evidence));
    }

    /** PROCESS_VDSO_MISMATCH, INCOMPLETE_SCAN and VDSO_CLOCK_MISMATCH, judged only when the agent observed them. */
    private void judgeAgentEvidence(AgentEvidence.Observed observed, Verdicts verdicts) {
        ProcessScanSummary scan = observed.scan();
        if (scan != null) {
            // a scan that found no mismatch among the processes it could read says nothing of the others
            if (scan.mismatches() > 0 || !Boolean.FALSE.equals(scan.complete())) {
                verdicts.judged().add(FindingKind.PROCESS_VDSO_MISMATCH);
            }
            agentEvidence.processMismatch(scan).ifPresent(
                    evidence -> verdicts.hold(FindingKind.PROCESS_VDSO_MISMATCH, "", evidence));
            verdicts.judged().add(FindingKind.INCOMPLETE_SCAN);
            agentEvidence.incompleteScan(scan).ifPresent(
                    evidence -> verdicts.hold(FindingKind.INCOMPLETE_SCAN, "", evidence));
        }
        if (observed.clock() != null) {
            verdicts.judged().add(FindingKind.VDSO_CLOCK_MISMATCH);
            agentEvidence.clockMismatch(observed.clock()).ifPresent(
                    evidence -> verdicts.hold(FindingKind.VDSO_CLOCK_MISMATCH, "", evidence));
        }
    }

    private void reconcile(Host host, List<FindingStore.Live> lives, Verdicts verdicts) {
        Map<Key, Map<String, @Nullable Object>> desired = verdicts.desired();
        for (FindingStore.Live live : lives) {
            Key key = new Key(live.kind(), live.subject());
            if (verdicts.kept().contains(key)) {
                continue;
            }
            if (verdicts.judged().contains(live.kind()) && !desired.containsKey(key)) {
                findings.resolve(host.id(), live, live.kind() == FindingKind.HOST_SILENT ? "the host reported again"
                        : "the condition no longer holds");
            } else if (REFRESHED_KINDS.contains(live.kind()) && desired.containsKey(key)) {
                findings.refreshEvidence(live, desired.get(key));
            } else if (live.kind() == FindingKind.CHANGED_WITHOUT_REBOOT && host.bootId() != null
                    && !live.subject().equals(host.bootId())) {
                findings.resolve(host.id(), live, "the host rebooted");
            }
            desired.remove(key);
        }
        desired.forEach((key, evidence) -> findings.open(host.id(), key.kind(), key.subject(), evidence));
    }
}
