package io.vdsoinventory.server.inventory;

import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The filters of {@code GET /hosts}, bound from the query string by {@link HostFilterBinding} and checked by
 * {@link #check()} (400 naming the parameter). Every filter is optional; present ones combine with AND.
 *
 * @param symbol a defined symbol exported by the host's current image
 * @param kernelRelease {@code uname -r}, exactly
 * @param arch the kernel's architecture, exactly
 * @param image the current image's sha256 or normalizedSha256
 * @param buildId the current image's GNU build-id (as analysed by the service)
 * @param findingKind an open finding of this kind
 * @param flagged whether the host has an open finding of at least {@code minSeverity}
 * @param minSeverity the least severity that flags a host (default {@link Severity#FLAGS_BY_DEFAULT}); given
 *        without {@code flagged}, it means {@code flagged=true}
 * @param labels {@code key=value} pairs all among the host's labels (repeated {@code label}: AND); empty for none
 * @param changedSince the host's state changed at or after this instant
 * @param q a substring of the hostname, case-insensitive
 * @param retired retired hosts (true) or active ones (false, also when absent)
 * @param scan the coverage of the host's last process scan
 */
record HostFilter(
        @Nullable String symbol,
        @Nullable String kernelRelease,
        @Nullable String arch,
        @Nullable String image,
        @Nullable String buildId,
        @Nullable FindingKind findingKind,
        @Nullable Boolean flagged,
        @Nullable Severity minSeverity,
        List<String> labels,
        @Nullable Instant changedSince,
        @Nullable String q,
        @Nullable Boolean retired,
        @Nullable Scan scan) {

    /** The most {@code label} pairs one query may ask for. */
    static final int MAX_LABELS = 16;

    /** {@code scan=}: what the host's last report says of its process scan. */
    enum Scan {
        /** Every process with a vDSO was compared. */
        COMPLETE("h.scan_complete = true"),
        /** Some processes could not be read or were skipped. */
        INCOMPLETE("h.scan_complete = false"),
        /** A scan from an agent that did not count the processes it could not read. */
        UNKNOWN("h.processes_scanned IS NOT NULL AND h.scan_complete IS NULL"),
        /** No scan: the agent runs without --scan-processes. */
        NONE("h.processes_scanned IS NULL");

        private final String condition;

        Scan(String condition) {
            this.condition = condition;
        }

        /** The value as the query string spells it. */
        static Scan parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("scan", "Parameter 'scan' has an invalid value '" + value
                        + "'; valid values: " + Arrays.stream(values()).map(scan -> scan.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
            }
        }
    }

    /** Throws a bad-parameter failure for the first filter that is not well-formed. */
    void check() {
        if (image != null && !Sha256.isValid(image)) {
            throw ApiException.badParameter("image", "image must be a sha256 or normalizedSha256 (64 lowercase hex)");
        }
        if (labels.size() > MAX_LABELS) {
            throw ApiException.badParameter("label", "label is given " + labels.size() + " times; at most "
                    + MAX_LABELS + " labels");
        }
        for (String label : labels) {
            if (label.indexOf('=') < 1) {
                throw ApiException.badParameter("label", "label must be key=value, got '" + label + "'");
            }
            if (label.length() > 256) {
                throw ApiException.badParameter("label", "label must be 1..256 characters");
            }
        }
        for (String[] text : new String[][] {{"symbol", symbol}, {"kernelRelease", kernelRelease}, {"arch", arch},
                {"buildId", buildId}, {"q", q}}) {
            if (text[1] != null && (text[1].isEmpty() || text[1].length() > 256)) {
                throw ApiException.badParameter(text[0], text[0] + " must be 1..256 characters");
            }
        }
    }

    /** The SQL conditions (on {@code hosts h}) and their named parameters. */
    record Sql(String where, Map<String, Object> params) {
    }

    /** The conditions; {@code json} serialises the label filter, the only one that needs it. */
    Sql toSql(JsonMapper json) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (symbol != null) {
            conditions.add("h.image_sha256 IN (SELECT decode(s.image_sha256, 'hex') FROM image_symbols s "
                    + "WHERE s.name = :symbol AND s.defined)");
            params.put("symbol", symbol);
        }
        if (kernelRelease != null) {
            conditions.add("h.kernel_id IN (SELECT k.id FROM kernels k WHERE k.release = :kernelRelease)");
            params.put("kernelRelease", kernelRelease);
        }
        if (arch != null) {
            conditions.add("h.kernel_id IN (SELECT k.id FROM kernels k WHERE k.arch = :arch)");
            params.put("arch", arch);
        }
        if (image != null) {
            conditions.add("(h.image_sha256 = decode(:image, 'hex') OR h.image_sha256 IN "
                    + "(SELECT decode(i.sha256, 'hex') FROM images i WHERE i.normalized_sha256 = :image))");
            params.put("image", image);
        }
        if (buildId != null) {
            conditions.add("h.image_sha256 IN (SELECT decode(i.sha256, 'hex') FROM images i WHERE i.build_id = :buildId)");
            params.put("buildId", buildId);
        }
        if (findingKind != null) {
            conditions.add("EXISTS (SELECT 1 FROM findings f WHERE f.host_id = h.id AND f.status = 'OPEN' "
                    + "AND f.kind = :findingKind)");
            params.put("findingKind", findingKind.name());
        }
        if (flagged != null || minSeverity != null) {
            conditions.add((flagged == null || flagged ? "" : "NOT ") + "EXISTS (SELECT 1 FROM findings f "
                    + "WHERE f.host_id = h.id AND f.status = 'OPEN' AND f.severity_rank >= :minRank)");
            params.put("minRank", (minSeverity == null ? Severity.FLAGS_BY_DEFAULT : minSeverity).rank());
        }
        // one containment per label, so that env=a&env=b asks for both (and matches no host), not for the last
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            conditions.add("h.labels @> CAST(:label" + i + " AS jsonb)");
            int eq = label.indexOf('=');
            params.put("label" + i, json.writeValueAsString(Map.of(label.substring(0, eq), label.substring(eq + 1))));
        }
        if (changedSince != null) {
            conditions.add("h.changed_at >= :changedSince");
            params.put("changedSince", java.sql.Timestamp.from(changedSince));
        }
        if (q != null) {
            conditions.add("h.hostname ILIKE :q ESCAPE '\\'");
            params.put("q", "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        // an anti-join with the few retired hosts: the page's ids still come from the indexes alone
        conditions.add((retired != null && retired ? "" : "NOT ")
                + "EXISTS (SELECT 1 FROM host_retirements r WHERE r.host_id = h.id)");
        if (scan != null) {
            conditions.add(scan.condition);
        }
        return new Sql(String.join(" AND ", conditions), params);
    }
}
