#!/usr/bin/env python3
"""Medians over several bench/run_all.py results: every numeric figure the runs share, with each run's value.

    bench/medians.py bench/results/2026*.json                  # every figure
    bench/medians.py --only ingest.,baseline. bench/results/*.json

The machine is shared and noisy, so BENCHMARKS.md quotes medians over several runs with the values beside them;
this prints exactly those, in the runs' order. Ratios between figures (service / raw JDBC) are taken per run, then
the median of the ratios: a ratio of medians from different runs would mix runs.
"""
import argparse
import json
import statistics
import sys


def numbers(value, path=""):
    """The numeric leaves of a result, by dotted path (config and machine facts included)."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from numbers(child, f"{path}.{key}" if path else key)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="+", help="JSON files written by bench/run_all.py")
    parser.add_argument("--only", default="", help="comma-separated prefixes of the figures to print")
    args = parser.parse_args()
    runs = []
    for path in args.results:
        try:
            with open(path) as f:
                result = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            sys.exit(f"{sys.argv[0]}: {path}: {e}")
        figures = dict(numbers(result))
        ingest, baseline = figures.get("ingest.reports_per_s"), figures.get("baseline.rows_per_s")
        if ingest and baseline:
            figures["ratio.service_over_raw_jdbc_percent"] = round(100 * ingest / baseline, 2)
        runs.append(figures)
    prefixes = tuple(filter(None, args.only.split(",")))
    keys = sorted({key for run in runs for key in run if not prefixes or key.startswith(prefixes)})
    print(f"{len(runs)} runs: {', '.join(args.results)}")
    for key in keys:
        values = [run[key] for run in runs if key in run]
        print(f"{key}: median {statistics.median(values):g}  ({', '.join(f'{v:g}' for v in values)})")


if __name__ == "__main__":
    main()
