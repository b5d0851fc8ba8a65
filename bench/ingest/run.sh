#!/usr/bin/env bash
# Ingest and query benchmark of the inventory service on this machine (127.0.0.1 only, bounded in time).
# Starts the packaged server on a fresh embedded PostgreSQL, runs the ingest load, bulk-loads hosts with COPY and
# measures GET /hosts?symbol=..., then stops the server.
#   bench/ingest/run.sh [HOSTS=2000] [SECONDS=30] [THREADS=8] [NEW_IMAGE_EVERY=200] [QUERY_HOSTS=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
HOSTS=${1:-2000}; SECONDS_=${2:-30}; THREADS=${3:-8}; NEW_IMAGE_EVERY=${4:-200}; QUERY_HOSTS=${5:-100000}
PORT=18181; DB_PORT=15433
DATA=$(mktemp -d /tmp/vdso-bench.XXXXXX)
[ -f target/vdso-inventory.jar ] || mvn -B -q -DskipTests package
java -Xmx1g -jar target/vdso-inventory.jar server --server.port=$PORT --vdso.data-dir="$DATA" \
    --vdso.embedded-db.port=$DB_PORT --vdso.embedded-db.pool-size=20 --vdso.self-report.enabled=false \
    > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 1; done
TOKEN=$(cat "$DATA/admin-token")

echo "== ingest: $HOSTS hosts, $SECONDS_ s, $THREADS threads, a new image every ~$NEW_IMAGE_EVERY reports"
java bench/ingest/IngestLoad.java ingest $PORT "$(cat "$DATA/enroll-secret")" "$HOSTS" "$SECONDS_" "$THREADS" "$NEW_IMAGE_EVERY"

echo "== bulk load: $QUERY_HOSTS hosts over 2000 images via COPY"
PSQL="psql -h 127.0.0.1 -p $DB_PORT -U postgres -d postgres -q -v ON_ERROR_STOP=1"
# 2000 analysed images each exporting 4 stock symbols; image 0 also exports number_of_the_beast
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "%064x,ANALYZED,8192,\\\\x00,%064x,64,LITTLE_ENDIAN,62,x86_64\n", i + 1, i + 1 }' \
    | $PSQL -c "\copy images (sha256, status, size, bytes, normalized_sha256, elf_class, byte_order, machine, arch) FROM STDIN WITH (FORMAT csv)"
awk 'BEGIN { split("__vdso_clock_gettime __vdso_gettimeofday __vdso_time __vdso_getcpu", names, " ");
             for (i = 0; i < 2000; i++) { for (s = 1; s <= 4; s++) printf "%064x,%d,%s,LINUX_2.6,f,t,4096,16,2,1,11\n", i + 1, s, names[s];
                                          if (i == 0) printf "%064x,5,number_of_the_beast,LINUX_2.6,f,t,4096,16,2,1,11\n", i + 1 } }' \
    | $PSQL -c "\copy image_symbols (image_sha256, symbol_index, name, version, hidden, defined, value, size, type, binding, section_index) FROM STDIN WITH (FORMAT csv)"
awk -v n="$QUERY_HOSTS" 'BEGIN { for (i = 0; i < n; i++) printf "bulk-%d,bulk-%d,6.1.0-bulk,x86_64,%064x\n", i, i, (i % 2000) + 1 }' \
    | $PSQL -c "\copy hosts (host_key, hostname, kernel_release, arch, image_sha256) FROM STDIN WITH (FORMAT csv)"
$PSQL -c "ANALYZE"
echo "hosts: $($PSQL -At -c 'SELECT count(*) FROM hosts'), images: $($PSQL -At -c 'SELECT count(*) FROM images')"

echo "== query latency"
java bench/ingest/IngestLoad.java query $PORT "$TOKEN" 500 "/hosts?symbol=number_of_the_beast&limit=100"
java bench/ingest/IngestLoad.java query $PORT "$TOKEN" 500 "/hosts?symbol=__vdso_time&limit=100"
java bench/ingest/IngestLoad.java query $PORT "$TOKEN" 200 "/hosts?symbol=__vdso_time&limit=1000"
java bench/ingest/IngestLoad.java query $PORT "$TOKEN" 500 "/hosts?kernelRelease=6.1.0-bulk&limit=100"

echo "== plan of the symbol query (first page, as HostQueries builds it)"
$PSQL -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
  SELECT h.id FROM hosts h LEFT JOIN images i ON i.sha256 = h.image_sha256
  WHERE h.image_sha256 IN (SELECT s.image_sha256 FROM image_symbols s WHERE s.name = 'number_of_the_beast' AND s.defined)
    AND h.id > 0 ORDER BY h.id LIMIT 101"
