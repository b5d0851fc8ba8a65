#!/usr/bin/env bash
# Benchmarks of the agent's hot path, with GNU readelf beside them as the point of comparison.
#
# Usage: bench/parser.sh [FILE]
#   FILE  a vDSO image (default: this machine's live vDSO, extracted with the packaged agent)
# Environment: RUNS (readelf runs, default 200), JMH_ARGS (extra JMH options, e.g. "-i 10").
#
# Builds bench/target/benchmarks.jar (bench/pom.xml: JMH 1.37 over the product's elf, vdso and host sources),
# runs VdsoBenchmark in sample-time mode ((a) parse + hashes of FILE, (b) live capture + parse + hashes), times
# `readelf --dyn-syms -W FILE` as a whole process RUNS times, and prints the medians and their ratio.
# Not part of `mvn verify`: timings depend on the machine and its load.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${RUNS:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in java mvn python3 readelf; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is not on PATH" >&2; exit 2; }
done

if [ $# -ge 1 ]; then
    file=$1
else
    jar=$root/target/vdso-inventory.jar
    [ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
    file=$work/live-vdso.so
    java -jar "$jar" agent extract "$file" >/dev/null
fi
[ -r "$file" ] || { echo "$0: cannot read $file" >&2; exit 2; }

(cd "$here" && mvn -B -q package)
# one fork, 3 x 1 s warm-up and 5 x 1 s measurement per benchmark: about 30 s in all
# shellcheck disable=SC2086
java -jar "$here/target/benchmarks.jar" VdsoBenchmark -p "file=$file" -f 1 -wi 3 -w 1s -i 5 -r 1s \
    -rf json -rff "$work/jmh.json" ${JMH_ARGS:-} >"$work/jmh.log"

python3 - "$work/jmh.json" "$file" "$runs" <<'PY'
import json, statistics, subprocess, sys, time

results, file, runs = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
median_us = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["scorePercentiles"]["50.0"] for r in results}

samples = []
for _ in range(runs):
    start = time.perf_counter_ns()
    subprocess.run(["readelf", "--dyn-syms", "-W", file], stdout=subprocess.DEVNULL, check=True)
    samples.append((time.perf_counter_ns() - start) / 1000)
readelf_us = statistics.median(samples)

print(f"image: {file}")
print(f"{'measurement':<52} {'median':>12} {'readelf / this':>15}")
for name, label in (("parseAndHashFile", "(a) read + parse + hashes of the file, in process"),
                    ("captureParseAndHashLive", "(b) live capture + parse + hashes, in process"),
                    ("captureLive", "    of which the capture alone")):
    print(f"{label:<52} {median_us[name]:>9.1f} us {readelf_us / median_us[name]:>14.0f}x")
print(f"{f'readelf --dyn-syms -W, whole process ({runs} runs)':<52} {readelf_us:>9.1f} us {1:>14.0f}x")
PY
