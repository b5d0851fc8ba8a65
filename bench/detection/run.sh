#!/usr/bin/env bash
# Detection cost vs fleet size (127.0.0.1 only, bounded). For each fleet size: starts the packaged server on a
# fresh embedded PostgreSQL, reports this machine's vDSO from a probe host, bulk-loads FLEET more hosts into the
# probe's cohorts with COPY (hosts, host_detection, cohort_variants as detection keeps them), then times the
# probe's steady heartbeats and image-change reports (each one a full evaluation against a cohort of FLEET hosts).
#   bench/detection/run.sh [REPORTS=300] [FLEETS="1000 100000"]
set -euo pipefail
cd "$(dirname "$0")/../.."
REPORTS=${1:-300}; FLEETS=${2:-"1000 100000"}
PORT=18282; DB_PORT=15434
[ -f target/vdso-inventory.jar ] || mvn -B -q -DskipTests package
for FLEET in $FLEETS; do
    DATA=$(mktemp -d /tmp/vdso-detection-bench.XXXXXX)
    java -Xmx1g -jar target/vdso-inventory.jar server --server.port=$PORT --vdso.data-dir="$DATA" \
        --vdso.embedded-db.port=$DB_PORT --vdso.self-report.enabled=false --vdso.tls.enabled=false > "$DATA/server.log" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
    for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 1; done
    PSQL="psql -h 127.0.0.1 -p $DB_PORT -U postgres -d postgres -q -v ON_ERROR_STOP=1"
    java bench/detection/DetectionLoad.java prepare $PORT "$(cat "$DATA/enroll-secret")" "$DATA/probe"
    read -r HOST_ID NODE_KEY SHA < "$DATA/probe"
    # the probe's cohorts as detection stored them; the bulk hosts join them as if each had reported the same image
    read -r BUILD_COHORT BUILD_VARIANT KERNEL_COHORT KERNEL_VARIANT < <($PSQL -At -F ' ' -c \
        "SELECT b.cohort, b.variant, k.cohort, k.variant FROM host_detection d
         JOIN cohort_variants b ON b.id = d.build_membership JOIN cohort_variants k ON k.id = d.kernel_membership
         WHERE d.host_id = $HOST_ID")
    # the probe's claimed kernel (DetectionLoad reports it), added when it has none
    KERNEL_ID=$($PSQL -At -c "WITH added AS (INSERT INTO kernels (release, version, arch)
                                  VALUES ('6.1.0-bench', '#1 SMP bench', 'x86_64') ON CONFLICT DO NOTHING RETURNING id)
                              SELECT id FROM added UNION ALL SELECT id FROM kernels WHERE release = '6.1.0-bench'
                                  AND version = '#1 SMP bench' AND arch = 'x86_64' AND build_id IS NULL LIMIT 1")
    awk -v n="$FLEET" -v sha="$SHA" -v kernel="$KERNEL_ID" 'BEGIN { for (i = 0; i < n; i++)
            printf "bulk-%d\tbulk-%d\t%d\tboot-%d\t\\\\x%s\n", i, i, kernel, i, sha }' \
        | $PSQL -c "\copy hosts (host_key, hostname, kernel_id, boot_id, image_sha256) FROM STDIN"
    $PSQL -c "INSERT INTO host_detection (host_id, observed, image_analyzed, seen_normalized,
                  seen_boot_id, seen_kernel, build_membership, kernel_membership)
              SELECT id, host_observation(encode(image_sha256, 'hex'), boot_id, kernel_id), true,
                     '$BUILD_VARIANT', boot_id, '6.1.0-bench' || chr(10) || '#1 SMP bench' || chr(10) || 'x86_64',
                     (SELECT id FROM cohort_variants WHERE cohort = '$BUILD_COHORT' AND variant = '$BUILD_VARIANT'),
                     (SELECT id FROM cohort_variants WHERE cohort = '$KERNEL_COHORT' AND variant = '$KERNEL_VARIANT')
              FROM hosts WHERE host_key LIKE 'bulk-%';
              UPDATE cohort_variants SET hosts = hosts + $FLEET
              WHERE (cohort, variant) IN (('$BUILD_COHORT', '$BUILD_VARIANT'), ('$KERNEL_COHORT', '$KERNEL_VARIANT'));
              ANALYZE"
    echo "== fleet: $($PSQL -At -c 'SELECT count(*) FROM hosts') hosts in the probe's cohorts"
    java bench/detection/DetectionLoad.java measure $PORT "$NODE_KEY" "$REPORTS"
    echo "   plan of the needs-evaluation check (detection.NeedsEvaluation, as ingest embeds it):"
    $PSQL -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT
        (NOT EXISTS (SELECT 1 FROM host_detection d WHERE d.host_id = h.id
                AND d.observed = host_observation(encode(h.image_sha256, 'hex'), h.boot_id, h.kernel_id)
                AND (d.image_analyzed
                     OR NOT EXISTS (SELECT 1 FROM images i WHERE i.sha256 = encode(h.image_sha256, 'hex'))))
            OR EXISTS (SELECT 1 FROM findings f WHERE f.host_id = h.id AND f.kind = 'HOST_SILENT'
                AND f.status <> 'RESOLVED'))
        FROM hosts h WHERE h.id = $HOST_ID" | grep -E 'Scan|Execution'
    echo "   findings of the probe: $($PSQL -At -c "SELECT string_agg(kind || '/' || status, ' ' ORDER BY id) FROM findings WHERE host_id = $HOST_ID" | cut -c1-200)"
    kill $SERVER; wait $SERVER 2>/dev/null || true
    rm -rf "$DATA"
    trap - EXIT
done
