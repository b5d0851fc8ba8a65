#!/usr/bin/env python3
"""Where a host's bytes go: runs the ingest step of run_all.py (10,000 hosts, closed loop for SECONDS, default 40;
no open loop) against the packaged server and prints bytes per host of each per-host table, the average stored
size of each of their columns, each index's bytes per host, and how many hosts updates were heap-only (HOT).

    bench/storage_detail.py [SECONDS]
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_all  # noqa: E402

seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
cfg = dict(run_all.FULL)
cfg.update(ingest_seconds=seconds, fixed_rate=0)
server = run_all.Server(tempfile.mkdtemp(prefix="vdso-storage-"), 20, [])
try:
    result = run_all.run_ingest(server, cfg)
    print("bytes per host, steady state:", result["db_bytes_per_host"], result["db_table_bytes_per_host"])
    print("heartbeats/s:", result["reports_per_s"])
    print("hosts updates, all | heap-only:",
          server.psql("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'hosts'"))
    hosts = int(server.psql("SELECT count(*) FROM hosts"))
    for table in ("hosts", "host_detection", "node_keys"):
        columns = server.psql(f"SELECT string_agg(attname, ',') FROM pg_attribute WHERE attrelid = '{table}'::regclass "
                              "AND attnum > 0 AND NOT attisdropped").split(",")
        sizes = ", ".join(f"'{c}=' || round(avg(pg_column_size({c})), 1)" for c in columns)
        print(f"{table}: row", server.psql(f"SELECT avg(pg_column_size(t.*))::int || ' B; ' || concat_ws(' ', {sizes}) "
                                           f"FROM {table} t"))
        print(f"{table}: heap", round(int(server.psql(f"SELECT pg_relation_size('{table}')")) / hosts), "B per host")
        for line in server.psql(f"SELECT indexrelid::regclass, pg_relation_size(indexrelid) FROM pg_index "
                                f"WHERE indrelid = '{table}'::regclass").splitlines():
            name, size = line.split("|")
            print(f"{table}: index {name}", round(int(size) / hosts), "B per host")
finally:
    server.stop()
