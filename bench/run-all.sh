#!/usr/bin/env bash
# The whole benchmark suite of issue 7 in one command (see BENCHMARKS.md for the figures and what limits them).
#
#   bench/run-all.sh            full run: parser (JMH + readelf), ingest vs the raw-JDBC baseline and the HTTP
#                               ceiling (reports refused 403 by the bearer check: no database), queries and CSV
#                               export at 100,000 and 1,000,000 hosts / 2,000 images, agent (about 15 minutes)
#   bench/run-all.sh --smoke    the same steps at tiny sizes, parser skipped (about a minute): checks the harness
#   options: --skip parser,ingest,queries,agent   --pool-size N   --profile (JFR of the server into bench/results/)
#            --set KEY=VALUE (e.g. --set ingest_seconds=30 --set query_hosts=100000; keys in bench/run_all.py)
#
# Starts the packaged server (target/vdso-inventory.jar, built when missing) on a fresh embedded PostgreSQL in a
# temporary directory, talks to 127.0.0.1 only, stops it at the end. Prints a table and writes it as JSON to
# bench/results/DATE.json. Exits non-zero when the harness breaks, not when a figure misses its target.
set -euo pipefail
exec python3 "$(dirname "$0")/run_all.py" "$@"
