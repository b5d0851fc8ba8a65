#!/usr/bin/env python3
"""The whole benchmark suite of issue 7 in one run: parser, ingest against a raw-JDBC baseline and the HTTP
ceiling (the same reports refused by the bearer check, no database work), queries at fleet scale, CSV export and
the agent. Prints a table and writes it as JSON under bench/results/.

Started by bench/run-all.sh (see there and BENCHMARKS.md for the options). Only 127.0.0.1 is ever contacted;
every loop is bounded in count and in time. Exits non-zero when the harness itself breaks (a step fails, a
request is refused, a figure is missing), never because a figure is slow: targets are reported, not asserted.
"""
import argparse
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import ssl
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "vdso-inventory.jar")
LOAD = os.path.join(ROOT, "bench", "ingest", "IngestLoad.java")
# the real vDSO image the load generator's simulated images are copies of (each with its own build-id)
IMAGE = os.path.join(ROOT, "src", "test", "resources", "io", "vdsoinventory", "elf", "ElfFileFuzzTestsInputs",
                     "parseAndReadEverything", "seed-x86_64-vdso64")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

# fixed_rate_threads: senders of the open-loop phase; enough that a sender is rarely still waiting for its last
# answer when its next send is due (16 at 3,000/s left each sender ~90% busy, so the generator's own queueing
# showed as latency)
FULL = dict(ingest_hosts=10000, ingest_images=50, ingest_seconds=60, ingest_threads=16, fixed_rate=3000,
            fixed_rate_threads=48,
            baseline_seconds=20, baseline_threads=4, baseline_batch=100,
            query_hosts=[100_000, 1_000_000], query_images=2000, query_requests=300,
            agent_cycles=5, parser=True)
SMOKE = dict(ingest_hosts=40, ingest_images=4, ingest_seconds=3, ingest_threads=4, fixed_rate=100,
             fixed_rate_threads=4,
             baseline_seconds=2, baseline_threads=2, baseline_batch=20,
             query_hosts=[2000], query_images=20, query_requests=20,
             agent_cycles=1, parser=False)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid, children=False):
    """utime + stime of a process (fields 14, 15 of /proc/PID/stat), plus its waited-for children's."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    used = int(fields[11]) + int(fields[12])
    if children:
        used += int(fields[13]) + int(fields[14])
    return used / TICKS


def rss_mb(pid):
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                pass
    return found


class Server:
    """The packaged service on a fresh embedded PostgreSQL in a temporary data directory, over plain HTTP on the
    loopback (vdso.tls.enabled=false), so that the figures measure the service; with TLS, its default: HTTPS with
    the CA it generates (self.ca)."""

    def __init__(self, work, pool_size, jvm_args, tls=False):
        self.tls = tls
        os.makedirs(work, exist_ok=True)
        self.data = os.path.join(work, "data")
        self.ca = os.path.join(self.data, "ca.pem") if tls else None
        self.port = free_port()
        self.db_port = free_port()
        self.log_path = os.path.join(work, "server.log")
        command = ["java", "-Xmx1g", *jvm_args, "-jar", JAR, "server", f"--server.port={self.port}",
                   f"--vdso.data-dir={self.data}", f"--vdso.embedded-db.port={self.db_port}",
                   f"--vdso.embedded-db.pool-size={pool_size}", "--vdso.self-report.enabled=false",
                   *([] if tls else ["--vdso.tls.enabled=false"])]
        self.process = subprocess.Popen(command, stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log_path}")
            try:
                urllib.request.urlopen(self.url("/actuator/health"), timeout=2, context=self.context()).read()
                break
            except (urllib.error.URLError, OSError, ssl.SSLError):
                time.sleep(1)
        else:
            raise RuntimeError("the server did not become healthy within 180 s")
        self.token = open(os.path.join(self.data, "admin-token")).read().strip()
        self.secret = open(os.path.join(self.data, "enroll-secret")).read().strip()
        self.jdbc = f"jdbc:postgresql://127.0.0.1:{self.db_port}/postgres?user=postgres&reWriteBatchedInserts=true"
        pidfile = glob.glob(os.path.join(self.data, "postgres", "postmaster.pid"))
        self.postmaster = int(open(pidfile[0]).readline()) if pidfile else None

    def url(self, path=""):
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{path}"

    def database_cpu(self):
        """CPU of PostgreSQL: the postmaster, its exited children, and its live backends."""
        if self.postmaster is None:
            return 0.0
        return cpu_seconds(self.postmaster, children=True) + sum(
            cpu_seconds(child) for child in children_of(self.postmaster) if os.path.exists(f"/proc/{child}"))

    def psql(self, sql, stdin=None):
        result = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.db_port), "-U", "postgres", "-d",
                                 "postgres", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                input=stdin, capture_output=True, text=True, check=False, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def context(self):
        """What a client trusts: the generated CA with TLS, nothing to verify without."""
        return ssl.create_default_context(cafile=self.ca) if self.tls else None

    def get(self, path):
        request = urllib.request.Request(self.url(path), headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=30, context=self.context()) as response:
            return json.loads(response.read())

    def status(self, path):
        request = urllib.request.Request(self.url(path), headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30, context=self.context()) as response:
                return response.status
        except urllib.error.HTTPError as e:
            return e.code

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def load(*args, on_line=None, timeout=1800, ca=None, fresh=False):
    """Runs IngestLoad with ARGS and returns its RESULT object; ON_LINE sees every output line as it comes. CA: the
    service's CA file (HTTPS); FRESH: every steady report on a new connection."""
    jdbc_jar = sorted(glob.glob(os.path.expanduser("~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar")))
    # target/classes: the simulator computes an image's facts with the product's own code, as the agent does
    class_path = os.pathsep.join(jdbc_jar[-1:] + [os.path.join(ROOT, "target", "classes")])
    command = ["java", "-Xmx2g", f"-Dbench.image={IMAGE}", *([f"-Dbench.ca={ca}"] if ca else []),
               *(["-Dbench.fresh-connections=true"] if fresh else []), "-cp", class_path, LOAD, *map(str, args)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    result, output = None, []
    try:
        for line in process.stdout:
            output.append(line)
            if on_line:
                on_line(line.rstrip("\n"), process.pid)
            if line.startswith("RESULT "):
                result = json.loads(line[len("RESULT "):])
            else:
                log("  " + line.rstrip())
        process.wait()
    finally:
        timer.cancel()
    if process.returncode != 0 or result is None:
        raise RuntimeError(f"IngestLoad {args[0]} failed ({process.returncode}):\n{''.join(output[-20:])}")
    return result


def run_parser(smoke):
    env = dict(os.environ, RUNS="20" if smoke else "200")
    if smoke:
        env["JMH_ARGS"] = "-wi 1 -i 1 -w 200ms -r 200ms"
    out = subprocess.run(["bash", os.path.join(ROOT, "bench", "parser.sh")], capture_output=True, text=True,
                         env=env, timeout=900, check=True).stdout
    figures = {}
    for key, label in (("parse_and_hash_file_us", "(a)"), ("capture_parse_and_hash_live_us", "(b)"),
                       ("capture_alone_us", "of which the capture"), ("readelf_process_us", "readelf --dyn-syms")):
        match = re.search(re.escape(label) + r".*?\s([\d.]+) us", out)
        if not match:
            raise RuntimeError(f"parser.sh printed no figure for {label}:\n{out}")
        figures[key] = float(match.group(1))
    return figures


def table_sizes(server):
    rows = server.psql("SELECT relname, pg_total_relation_size(relid) FROM pg_statio_user_tables")
    return {name: int(size) for name, size in (line.split("|") for line in rows.splitlines())}


def database_counters(server):
    row = server.psql("SELECT xact_commit, tup_fetched, tup_inserted, tup_updated FROM pg_stat_database "
                      "WHERE datname = 'postgres'")
    return dict(zip(("commits", "tuples_fetched", "tuples_inserted", "tuples_updated"), map(int, row.split("|"))))


def run_ingest(server, cfg, rate=0, mode="ingest", fresh=False):
    """One steady phase of IngestLoad (MODE ingest, or ceiling: reports refused 403 by the bearer check, no database)
    with the CPU of the server, the database and the load generator over it."""
    marks = {}

    def on_line(line, pid):
        if line == "STEADY-START":
            marks["pid"] = pid
            marks["start"] = (time.time(), cpu_seconds(server.process.pid), server.database_cpu(),
                              database_counters(server), cpu_seconds(pid))
        elif line.startswith("RESULT "):
            marks["load_end"] = cpu_seconds(pid)

    result = load(mode, server.port, server.secret, cfg["ingest_hosts"], cfg["ingest_images"],
                  cfg["ingest_seconds"], cfg["fixed_rate_threads"] if rate else cfg["ingest_threads"],
                  *([rate] if rate else []), *([server.token] if mode == "ceiling" else []), on_line=on_line,
                  ca=server.ca, fresh=fresh)
    end = (time.time(), cpu_seconds(server.process.pid), server.database_cpu(), database_counters(server))
    start = marks["start"]
    wall = end[0] - start[0]
    result["server_cpu_cores"] = round((end[1] - start[1]) / wall, 2)
    result["load_generator_cpu_cores"] = round((marks["load_end"] - start[4]) / wall, 2)
    result["database_cpu_cores"] = round((end[2] - start[2]) / wall, 2)
    result["server_cpu_ms_per_report"] = round((end[1] - start[1]) * 1000 / result["reports"], 3)
    result["database_cpu_ms_per_report"] = round((end[2] - start[2]) * 1000 / result["reports"], 3)
    for key in end[3]:
        result[f"db_{key}_per_report"] = round((end[3][key] - start[3][key]) / result["reports"], 2)
    server.psql("VACUUM ANALYZE")
    sizes = table_sizes(server)
    hosts = int(server.psql("SELECT count(*) FROM hosts"))
    # steady state: what every host keeps whatever its age; history: what grows with its changes
    steady_tables = ("hosts", "node_keys", "findings", "host_detection")
    history_tables = ("host_events", "reports")
    result["db_bytes_per_host"] = round(sum(sizes.get(t, 0) for t in steady_tables) / hosts)
    result["db_history_bytes_per_host"] = round(sum(sizes.get(t, 0) for t in history_tables) / hosts)
    result["db_table_bytes_per_host"] = {t: round(sizes.get(t, 0) / hosts) for t in steady_tables + history_tables}
    result["findings_open"] = int(server.psql("SELECT count(*) FROM findings WHERE status = 'OPEN'"))
    result["db_image_bytes"] = sizes.get("images", 0) + sizes.get("image_symbols", 0)
    # each distinct kernel once, as each distinct image: shared by its hosts, not per host
    result["db_kernels"] = int(server.psql("SELECT count(*) FROM kernels"))
    result["db_kernel_bytes"] = sizes.get("kernels", 0)
    result["db_table_bytes"] = sizes
    return result


def run_baseline(server, cfg):
    """The raw-JDBC baseline of IngestLoad, with the CPU PostgreSQL spends per row while it runs."""
    marks = {}

    def on_line(line, pid):
        if line == "STEADY-START":
            marks["start"] = server.database_cpu()
        elif line.startswith("RESULT "):
            marks["end"] = server.database_cpu()

    result = load("baseline", server.jdbc, cfg["ingest_hosts"], cfg["baseline_seconds"], cfg["baseline_threads"],
                  cfg["baseline_batch"], on_line=on_line)
    result["database_cpu_ms_per_row"] = round((marks["end"] - marks["start"]) * 1000 / result["rows"], 4)
    return result


def bulk_load(server, images, hosts_total):
    """Adds COPY-loaded images (each exporting 4 stock symbols, image 1 also number_of_the_beast) and hosts."""
    have_images = int(server.psql("SELECT count(*) FROM images WHERE sha256 LIKE '00000000%'"))
    if have_images == 0:
        rows = "".join(f"{i + 1:064x},ANALYZED,8192,\\\\x00,{i + 1:064x},64,LITTLE_ENDIAN,62,x86_64\n"
                       for i in range(images))
        server.psql("\\copy images (sha256, status, size, bytes, normalized_sha256, elf_class, byte_order, machine, "
                    "arch) FROM STDIN WITH (FORMAT csv)", stdin=rows)
        names = ("__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu")
        symbols = []
        for i in range(images):
            for index, name in enumerate(names, 1):
                symbols.append(f"{i + 1:064x},{index},{name},LINUX_2.6,f,t,4096,16,2,1,11\n")
            if i == 0:
                symbols.append(f"{i + 1:064x},5,number_of_the_beast,LINUX_2.6,f,t,4096,16,2,1,11\n")
        server.psql("\\copy image_symbols (image_sha256, symbol_index, name, version, hidden, defined, value, size, "
                    "type, binding, section_index) FROM STDIN WITH (FORMAT csv)", stdin="".join(symbols))
    # 20 kernel releases on 2 arches, named by id as the service names them
    server.psql("INSERT INTO kernels (release, arch) SELECT '6.1.0-bulk' || r, a FROM generate_series(0, 19) r, "
                "unnest(ARRAY['x86_64', 'aarch64']) a ON CONFLICT DO NOTHING")
    kernel_ids = dict((tuple(line.split("|")[:2]), line.split("|")[2]) for line in server.psql(
        "SELECT release, arch, id FROM kernels WHERE release LIKE '6.1.0-bulk%'").splitlines())
    have = int(server.psql("SELECT count(*) FROM hosts WHERE host_key LIKE 'bulk-%'"))
    start = time.time()
    chunk = 200_000
    for first in range(have, hosts_total, chunk):
        last = min(hosts_total, first + chunk)
        rows = "".join(f"bulk-{i},bulk-{i},{kernel_ids[(f'6.1.0-bulk{i % 20}', 'x86_64' if i % 4 else 'aarch64')]},"
                       f"\\x{i % images + 1:064x}\n" for i in range(first, last))
        server.psql("\\copy hosts (host_key, hostname, kernel_id, image_sha256) FROM STDIN WITH (FORMAT csv)",
                    stdin=rows)
    server.psql("VACUUM ANALYZE")
    return round(time.time() - start, 1)


def run_queries(server, cfg, hosts_total):
    loaded_in = bulk_load(server, cfg["query_images"], hosts_total)
    n = cfg["query_requests"]
    figures = {"bulk_load_seconds": loaded_in, "hosts": int(server.psql("SELECT count(*) FROM hosts"))}
    paths = {"hosts_by_symbol": "/hosts?symbol=number_of_the_beast&limit=100",
             "hosts_by_kernel_and_arch": "/hosts?kernelRelease=6.1.0-bulk4&arch=aarch64&limit=100",
             "kernels": "/kernels"}
    if server.status("/findings") == 200:
        paths["findings"] = "/findings"
    else:
        figures["findings"] = "skipped: GET /findings does not exist on this build"
    for key, path in paths.items():
        result = load("query", server.port, server.token, n, path)
        result["path"] = path
        figures[key] = result
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(rss_mb(server.process.pid))
            stop.wait(0.2)

    before = rss_mb(server.process.pid)
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        csv = load("csv", server.port, server.token, "/hosts")
    finally:
        stop.set()
        sampler.join()
    csv["server_rss_mb_before"] = round(before)
    csv["server_rss_mb_peak"] = round(max(samples, default=before))
    figures["csv_export"] = csv
    return figures


class CountingProxy:
    """A 127.0.0.1 TCP relay that keeps what the client sent, to count the bytes of each request."""

    def __init__(self, target_port):
        self.sent = bytearray()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.settimeout(0.5)
        self.port = self.listener.getsockname()[1]
        self.target = target_port
        self.closed = threading.Event()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return  # the listener was closed: the relay is done
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=30)
            threading.Thread(target=self.pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self.pipe, args=(upstream, client, False), daemon=True).start()

    def pipe(self, source, sink, count):
        try:
            for data in iter(lambda: source.recv(65536), b""):
                if count:
                    self.sent.extend(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def report_requests(self):
        """(head bytes, body bytes) of every POST /agent/reports the client sent."""
        found = []
        for match in re.finditer(rb"POST /agent/reports HTTP/1\.1\r\n(.*?)\r\n\r\n", bytes(self.sent), re.S):
            length = re.search(rb"(?i)content-length: *(\d+)", match.group(1))
            found.append((len(match.group(0)), int(length.group(1)) if length else 0))
        return found

    def close(self):
        self.closed.set()
        self.listener.close()


AGENT_JVM = ["-Xmx16m", "-Xms4m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
             "-XX:ReservedCodeCacheSize=16m", "-XX:CICompilerCount=1", "-XX:MaxMetaspaceSize=48m"]
AGENT_WARM_UP = 3


def run_agent(server, cfg, work):
    """The agent: `agent run` (JVM options of docs/agent-daemon.md) when this build has it, else `agent report`."""
    help_text = subprocess.run(["java", "-jar", JAR, "agent", "--help"], capture_output=True, text=True,
                               timeout=120).stdout
    has_run = re.search(r"^\s+run\b", help_text, re.M) is not None
    proxy = CountingProxy(server.port)
    secret_file = os.path.join(work, "enroll-secret")
    with open(secret_file, "w") as f:
        f.write(server.secret)
    try:
        figures = agent_daemon(proxy, cfg, work, secret_file) if has_run else agent_one_shots(proxy, cfg, secret_file)
        time.sleep(0.5)
        reports = proxy.report_requests()
    finally:
        proxy.close()
    if len(reports) < 2:
        raise RuntimeError(f"saw {len(reports)} report requests through the proxy")
    figures["steady_report_body_bytes"] = reports[-1][1]
    figures["steady_report_bytes_with_headers"] = sum(reports[-1])
    return figures


def agent_daemon(proxy, cfg, work, secret_file):
    """`agent run` with a 1 s interval: RSS sampled throughout; CPU per report cycle counted over 2 s per cycle
    after a warm-up of AGENT_WARM_UP seconds past the first report (start-up and the first compilations are a
    one-off, not a cycle's cost)."""
    process = subprocess.Popen(["java", *AGENT_JVM, "-jar", JAR, "agent", "run", "--server",
                                f"http://127.0.0.1:{proxy.port}", "--enroll-secret-file", secret_file,
                                "--state-dir", os.path.join(work, "agent-state"), "--interval", "1s",
                                "--check-every", "1s", "--host-key", "bench-agent-run"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rss, reported_at, first = [], None, None
    give_up = time.time() + 120
    try:
        while time.time() < give_up and process.poll() is None:
            rss.append(rss_mb(process.pid))
            if reported_at is None and proxy.report_requests():
                reported_at = time.time()
            if first is None and reported_at is not None and time.time() >= reported_at + AGENT_WARM_UP:
                first = (cpu_seconds(process.pid), len(proxy.report_requests()), time.time())
            if first is not None and time.time() >= first[2] + 2 * cfg["agent_cycles"]:
                break
            time.sleep(0.2)
        if process.poll() is not None or first is None:
            raise RuntimeError(f"agent run ended or never reported: {process.stderr.read().decode()[-2000:]}")
        cycles = len(proxy.report_requests()) - first[1]
        cpu = cpu_seconds(process.pid) - first[0]
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"mode": "agent run", "cycles": cycles, "peak_rss_mb_median": round(max(rss), 1),
            "peak_rss_mb_max": round(max(rss), 1),
            "cpu_ms_per_cycle_median": round(cpu * 1000 / max(cycles, 1), 1)}


def agent_over_tls(server, cfg, work):
    """`agent run --ca-file` straight to the HTTPS server for the warm-up and 2 s per cycle at a 1 s interval: its
    peak RSS, and CPU per second after the warm-up (one report per second)."""
    secret_file = os.path.join(work, "tls-enroll-secret")
    with open(secret_file, "w") as f:
        f.write(server.secret)
    process = subprocess.Popen(["java", *AGENT_JVM, "-jar", JAR, "agent", "run", "--server", server.url(),
                                "--ca-file", server.ca, "--enroll-secret-file", secret_file,
                                "--state-dir", os.path.join(work, "tls-agent-state"), "--interval", "1s",
                                "--check-every", "1s", "--host-key", "bench-agent-tls",
                                "--hostname", "bench-agent-tls"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rss, warm = [], None
    started = time.time()
    seconds = 2 * cfg["agent_cycles"]
    try:
        while process.poll() is None and time.time() < started + AGENT_WARM_UP + 5 + seconds:
            rss.append(rss_mb(process.pid))
            if warm is None and time.time() >= started + AGENT_WARM_UP + 5:
                warm = (cpu_seconds(process.pid), time.time())
            time.sleep(0.2)
        if process.poll() is not None or warm is None:
            raise RuntimeError(f"agent run over TLS ended: {process.stderr.read().decode()[-2000:]}")
        cpu = cpu_seconds(process.pid) - warm[0]
        elapsed = time.time() - warm[1]
    finally:
        process.terminate()
        process.wait(timeout=30)
    if not server.get("/hosts?q=bench-agent-tls")["items"]:
        raise RuntimeError("the agent over TLS reported nothing")
    return {"peak_rss_mb": round(max(rss), 1), "cpu_ms_per_second": round(cpu * 1000 / elapsed, 1)}


def agent_one_shots(proxy, cfg, secret_file):
    """`agent report` one-shots: each pays JVM start-up, which is what a cron-driven agent costs per cycle."""
    rss, cpu = [], []
    for _ in range(cfg["agent_cycles"] + 1):
        process = subprocess.Popen(["java", "-jar", JAR, "agent", "report", "--server",
                                    f"http://127.0.0.1:{proxy.port}", "--enroll-secret-file", secret_file,
                                    "--host-key", "bench-agent"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"agent report failed: {process.stderr.read().decode()}")
        rss.append(usage.ru_maxrss / 1024)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
    return {"mode": "agent report one-shots (no `agent run` on this build)", "cycles": len(rss),
            "peak_rss_mb_median": round(sorted(rss)[len(rss) // 2], 1), "peak_rss_mb_max": round(max(rss), 1),
            "cpu_ms_per_cycle_median": round(sorted(cpu)[len(cpu) // 2])}


def summary_rows(results):
    rows = []
    p = results.get("parser")
    if p:
        rows += [("parser: parse + hashes of a file", f"{p['parse_and_hash_file_us']:.1f} us", "-"),
                 ("parser: live capture + parse + hashes", f"{p['capture_parse_and_hash_live_us']:.1f} us", "-"),
                 ("parser: readelf --dyn-syms, whole process", f"{p['readelf_process_us']:.1f} us", "-")]
    i, b = results["ingest"], results["baseline"]
    rows += [("ingest: steady heartbeats/s", f"{i['reports_per_s']:.0f}", ">= 3000"),
             ("ingest: raw-JDBC upserts/s (same run); database CPU ms per row",
              f"{b['rows_per_s']:.0f}; {b['database_cpu_ms_per_row']}", "-"),
             ("ingest: service / raw JDBC", f"{i['reports_per_s'] / b['rows_per_s']:.0%}", ">= 30%"),
             ("ingest: latency p50 / p95 / p99 ms", f"{i['p50_ms']:.1f} / {i['p95_ms']:.1f} / {i['p99_ms']:.1f}",
              "p99 < 50"),
             ("ingest: server / database / load generator CPU (cores)",
              f"{i['server_cpu_cores']} / {i['database_cpu_cores']} / {i['load_generator_cpu_cores']}", "-"),
             ("ingest: server / database CPU ms per report",
              f"{i['server_cpu_ms_per_report']} / {i['database_cpu_ms_per_report']}", "-"),
             ("ingest: database bytes per host, steady state (+ history)",
              f"{i['db_bytes_per_host']} (+ {i['db_history_bytes_per_host']})", "< 1024"),
             ("ingest: commits per report", f"{i['db_commits_per_report']}", "-")]
    c = results.get("http_ceiling")
    if c:
        rows.append(("HTTP ceiling: reports/s refused 403, no database (% of raw JDBC)",
                     f"{c['reports_per_s']:.0f} ({c['reports_per_s'] / b['rows_per_s']:.0%})", "-"))
    f = results.get("ingest_fixed_rate")
    if f:
        rows.append((f"ingest at a fixed {f['rate']}/s: achieved/s, p50 / p99 ms",
                     f"{f['reports_per_s']:.0f}, {f['p50_ms']:.1f} / {f['p99_ms']:.1f}", "p99 < 50"))
    for hosts, q in results["queries"].items():
        for key, target in (("hosts_by_symbol", "p99 < 20"), ("hosts_by_kernel_and_arch", "-"),
                            ("kernels", "< 50"), ("findings", "-")):
            if isinstance(q.get(key), dict):
                rows.append((f"query @{hosts}: {q[key]['path']}", f"p50 {q[key]['p50_ms']:.1f} / p99 "
                             f"{q[key]['p99_ms']:.1f} ms", target))
            elif key in q:
                rows.append((f"query @{hosts}: {key}", q[key], "-"))
        c = q["csv_export"]
        rows.append((f"csv export @{hosts}: rows/s (seconds)", f"{c['rows_per_s']:.0f} ({c['seconds']:.1f} s)",
                     "1M well < 60 s"))
        rows.append((f"csv export @{hosts}: server RSS before/peak", f"{c['server_rss_mb_before']} / "
                     f"{c['server_rss_mb_peak']} MB", "bounded"))
    k, n = results.get("tls_keepalive"), results.get("tls_fresh_connections")
    if k and n:
        rows += [("TLS kept-alive: heartbeats/s (of plain HTTP, same run)",
                  f"{k['reports_per_s']:.0f} ({k['reports_per_s'] / i['reports_per_s']:.0%})", ">= 80%"),
                 ("TLS new connection per heartbeat, resumed: heartbeats/s, p99 ms",
                  f"{n['reports_per_s']:.0f}, {n['p99_ms']:.1f}", ">= 3333"),
                 ("TLS kept-alive / new connection: server CPU ms per report",
                  f"{k['server_cpu_ms_per_report']} / {n['server_cpu_ms_per_report']}", "-")]
    t = results.get("tls_agent")
    if t:
        rows.append(("agent run over TLS: peak RSS, CPU ms per 1 s cycle",
                     f"{t['peak_rss_mb']} MB, {t['cpu_ms_per_second']} ms", "< 64 MB"))
    a = results["agent"]
    rows += [(f"agent ({a['mode']}): peak RSS", f"{a['peak_rss_mb_median']} MB (max {a['peak_rss_mb_max']})",
              "< 64 MB"),
             ("agent: CPU per cycle", f"{a['cpu_ms_per_cycle_median']} ms", "< 20 ms"),
             ("agent: steady report body (with headers)",
              f"{a['steady_report_body_bytes']} B ({a['steady_report_bytes_with_headers']} B)", "< 1 KB")]
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny, fast configuration (seconds; checks the harness)")
    parser.add_argument("--skip", default="", help="comma-separated steps to skip: parser,ingest,queries,agent,tls")
    parser.add_argument("--pool-size", type=int, default=20, help="database connections of the service")
    parser.add_argument("--profile", action="store_true", help="record a JFR profile of the server")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a configuration value, e.g. ingest_seconds=30 or query_hosts=100000")
    args = parser.parse_args()
    cfg = dict(SMOKE if args.smoke else FULL)
    for item in args.set:
        key, value = item.split("=", 1)
        cfg[key] = [int(v) for v in value.split(",")] if key == "query_hosts" else int(value)
    skip = set(filter(None, args.skip.split(",")))
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True)
    for tool in ("java", "psql"):
        if shutil.which(tool) is None:
            sys.exit(f"{sys.argv[0]}: {tool} is not on PATH")

    with open("/proc/meminfo") as f:
        memory = int(f.readline().split()[1]) // 1024
    results = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "smoke": args.smoke, "config": cfg,
               "machine": {"nproc": os.cpu_count(), "memory_mb": memory, "load_at_start": os.getloadavg()},
               "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                     text=True).stdout.strip(),
               "pool_size": args.pool_size, "queries": {}}
    if cfg["parser"] and "parser" not in skip:
        log("parser (bench/parser.sh)")
        results["parser"] = run_parser(args.smoke)
    work = tempfile.mkdtemp(prefix="vdso-bench-")
    jvm = ["-XX:FlightRecorderOptions=stackdepth=256",
           f"-XX:StartFlightRecording=filename={ROOT}/bench/results/server.jfr,settings=profile"] if args.profile else []
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    server = None
    try:
        log("starting the server")
        server = Server(work, args.pool_size, jvm)
        if "ingest" not in skip:
            log(f"ingest: {cfg['ingest_hosts']} hosts over {cfg['ingest_images']} images, "
                f"{cfg['ingest_seconds']} s, {cfg['ingest_threads']} threads")
            results["ingest"] = run_ingest(server, cfg)
            if cfg["fixed_rate"] > 0:
                log(f"ingest at a fixed rate of {cfg['fixed_rate']} reports/s (open loop, {cfg['fixed_rate_threads']} senders)")
                results["ingest_fixed_rate"] = run_ingest(server, cfg, cfg["fixed_rate"])
            log("HTTP ceiling: the same reports with an API token, refused 403 by the bearer check (no database)")
            results["http_ceiling"] = run_ingest(server, cfg, mode="ceiling")
            log("baseline: raw JDBC batch upserts")
            results["baseline"] = run_baseline(server, cfg)
        if "queries" not in skip:
            for hosts in cfg["query_hosts"]:
                log(f"queries at {hosts} bulk hosts")
                results["queries"][str(hosts)] = run_queries(server, cfg, hosts)
        if "agent" not in skip:
            log("agent")
            results["agent"] = run_agent(server, cfg, work)
        if "tls" not in skip:
            server.stop()
            server = None
            log("TLS: the same steady phase against a second server with its default HTTPS, kept-alive "
                "connections, then a new connection per report (session resumed); and the agent over TLS")
            server = Server(os.path.join(work, "tls"), args.pool_size, [], tls=True)
            results["tls_keepalive"] = run_ingest(server, cfg)
            results["tls_fresh_connections"] = run_ingest(server, cfg, fresh=True)
            results["tls_agent"] = agent_over_tls(server, cfg, work)
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    path = os.path.join(ROOT, "bench", "results", time.strftime("%Y%m%d-%H%M%S") +
                        ("-smoke" if args.smoke else "") + ".json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
    if {"ingest", "agent"}.isdisjoint(skip):
        rows = summary_rows(results)
        width = max(len(r[0]) for r in rows)
        print(f"{'measurement':<{width}}  {'figure':<28}  target")
        for name, figure, target in rows:
            print(f"{name:<{width}}  {figure:<28}  {target}")
    else:
        print(json.dumps(results, indent=2))
    print(f"written to {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
