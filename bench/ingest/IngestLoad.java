import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for the inventory service (single-file program: {@code java bench/ingest/IngestLoad.java}).
 * Only ever targets 127.0.0.1; every run is bounded in time.
 *
 * <pre>
 * ingest PORT ENROLL_SECRET HOSTS IMAGES SECONDS THREADS [RATE]
 *     enrolls HOSTS simulated hosts over IMAGES distinct images, sends each host's first report (uploading each
 *     image once; the images are copies of the vDSO image -Dbench.image=FILE, each with its own build-id), then
 *     for SECONDS sends steady heartbeats from THREADS workers: closed loop with no think time
 *     (the heartbeat interval compressed to nothing), or open loop at RATE reports/s in all when RATE is given.
 *     Prints reports/s and latency percentiles.
 * ceiling PORT ENROLL_SECRET HOSTS IMAGES SECONDS THREADS API_TOKEN
 *     the HTTP ceiling: as ingest in closed loop, but every steady report bears the API token API_TOKEN instead of
 *     the host's node key, so the server answers 403 from its bearer check (a cache hit) on the same connection,
 *     before the body is read and with no database work: Tomcat, the filters, dispatch and an error answer alone.
 * baseline JDBC_URL HOSTS SECONDS THREADS BATCH
 *     the raw-JDBC ceiling: the same heartbeat columns as batched upserts straight into the database.
 * query PORT TOKEN REQUESTS PATH
 *     GETs PATH (e.g. "/hosts?symbol=number_of_the_beast&amp;limit=100") REQUESTS times; prints latency percentiles.
 * csv PORT TOKEN PATH
 *     streams the CSV export at PATH once; prints rows/s.
 * </pre>
 * Each mode ends with one {@code RESULT {json}} line that bench/run_all.py reads.
 */
public class IngestLoad {

    /**
     * HTTPS to a service whose CA is {@code -Dbench.ca=FILE} (its generated {@code ca.pem}), else plain HTTP. One
     * TLS context for the whole run, as in an agent: a new connection resumes the session of an earlier one.
     */
    private static final javax.net.ssl.SSLContext TLS = tlsContext(System.getProperty("bench.ca", ""));
    /**
     * {@code -Dbench.fresh-connections=true}: every steady report on a new connection ({@code Connection: close}),
     * what a fleet reporting every few minutes costs (keep-alive ends long before the next report).
     */
    private static final boolean FRESH_CONNECTIONS = Boolean.getBoolean("bench.fresh-connections");
    private static final HttpClient HTTP = (TLS != null ? HttpClient.newBuilder().sslContext(TLS) : HttpClient.newBuilder())
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern NODE_KEY = Pattern.compile("\"nodeKey\":\"([^\"]+)\"");
    private static final int QUERY_SECONDS = 60;
    private static final Pattern IMAGE_NEEDED = Pattern.compile("\"imageNeeded\":(true|false)");

    public static void main(String[] args) throws Exception {
        if ((args.length == 7 || args.length == 8) && args[0].equals("ingest")) {
            ingest(base(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), args.length == 8 ? Integer.parseInt(args[7]) : 0,
                    null);
        } else if (args.length == 8 && args[0].equals("ceiling")) {
            ingest(base(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), 0, args[7]);
        } else if (args.length == 6 && args[0].equals("baseline")) {
            baseline(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
        } else if (args.length == 5 && args[0].equals("query")) {
            query(base(args[1]), args[2], Integer.parseInt(args[3]), args[4]);
        } else if (args.length == 4 && args[0].equals("csv")) {
            csv(base(args[1]), args[2], args[3]);
        } else {
            System.err.println("usage: ingest PORT SECRET HOSTS IMAGES SECONDS THREADS [RATE] | ceiling PORT SECRET HOSTS IMAGES SECONDS THREADS TOKEN | baseline JDBC_URL HOSTS SECONDS"
                    + " THREADS BATCH | query PORT TOKEN N PATH | csv PORT TOKEN PATH");
            System.exit(2);
        }
    }

    private static URI base(String port) {
        return URI.create((TLS != null ? "https" : "http") + "://127.0.0.1:" + Integer.parseInt(port));
    }

    private static javax.net.ssl.SSLContext tlsContext(String caFile) {
        if (caFile.isEmpty()) {
            return null;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(caFile))) {
            java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("-Dbench.ca must name the service's CA certificate: " + e, e);
        }
    }

    private static void ingest(URI base, String secret, int hosts, int distinctImages, int seconds, int threads,
            int rate, String ceilingToken) throws Exception {
        boolean ceiling = ceilingToken != null;
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] keys = new String[hosts];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long enrollStart = System.nanoTime();
        forEachHost(pool, threads, hosts, i -> {
            // the host key as the agent derives it by default: a machine-id's 32 hex digits
            String hostKey = sha256(("bench-" + run + "-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .substring(0, 32);
            String body = "{\"enrollSecret\":\"" + secret + "\",\"hostKey\":\"" + hostKey
                    + "\",\"hostname\":\"bench-" + i + "\"}";
            HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/agent/enroll"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            Matcher key = NODE_KEY.matcher(response.body());
            if (response.statusCode() != 200 || !key.find()) {
                throw new IllegalStateException("enroll failed: " + response.statusCode() + " " + response.body());
            }
            keys[i] = key.group(1);
        });
        System.out.printf("enrolled %d hosts in %.1f s%n", hosts, (System.nanoTime() - enrollStart) / 1e9);

        // first reports: every host names its image, the first host of each image uploads the bytes
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder uploads = new LongAdder();
        forEachHost(pool, threads, hosts, i -> {
            HttpResponse<String> response = report(base, keys[i], run, i, distinctImages);
            statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
            Matcher needed = IMAGE_NEEDED.matcher(response.body());
            if (needed.find() && needed.group(1).equals("true")) {
                byte[] bytes = imageBytes(i % distinctImages);
                HttpResponse<String> upload = send(HttpRequest.newBuilder(base.resolve("/agent/images/" + sha256(bytes)))
                        .header("Content-Type", "application/octet-stream")
                        .header("Authorization", "Bearer " + keys[i])
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
                statuses.computeIfAbsent(upload.statusCode() + 1000, s -> new LongAdder()).increment();
                uploads.increment();
            }
        });
        System.out.printf("first reports of %d hosts, %d image uploads; statuses %s%n", hosts, uploads.sum(), statuses);
        statuses.clear();

        System.out.println("STEADY-START");
        System.out.flush();
        // every sender's latency array is allocated before the clock starts: allocating them on the way (48 x 16 MB
        // zeroed) once made the open loop's first sends seconds late, which showed as a pause at every run's start
        List<long[]> perThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            perThread.add(new long[rate > 0 ? (int) ((long) rate * seconds / threads + 2) : 2_000_000]);
        }
        long start = System.nanoTime();
        long startEpochMillis = System.currentTimeMillis();
        // per second of the run (by the time a report was due or sent): the worst latency, to place pauses in time
        java.util.concurrent.atomic.AtomicLongArray worstPerSecond = new java.util.concurrent.atomic.AtomicLongArray(seconds + 1);
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        List<java.util.concurrent.Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] latencies = perThread.get(t);
            int worker = t;
            workers.add(pool.submit(() -> {
                int n = 0;
                try (KeepAlive connection = new KeepAlive(base)) {
                    while (System.nanoTime() < deadline && n < latencies.length) {
                        int host = (worker + n * threads) % hosts;
                        long sent = System.nanoTime();
                        if (rate > 0) {
                            // open loop: each worker's n-th report is due at a fixed time; latency counts from then, so
                            // a slow answer that delays the next sends is not hidden (no coordinated omission)
                            long due = start + (n * (long) threads + worker) * 1_000_000_000L / rate;
                            java.util.concurrent.locks.LockSupport.parkNanos(due - sent);
                            sent = due;
                        }
                        int status = connection.post("/agent/reports", ceiling ? ceilingToken : keys[host],
                                reportBody(run, host, distinctImages));
                        long latency = System.nanoTime() - sent;
                        latencies[n++] = latency;
                        worstPerSecond.accumulateAndGet((int) Math.min(seconds, (sent - start) / 1_000_000_000L), latency,
                                Math::max);
                        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    }
                }
                return n;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = workers.get(t).get();
            for (int i = 0; i < n; i++) {
                all.add(perThread.get(t)[i]);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        // the ceiling's reports are all meant to be refused by the bearer check
        long ok = statuses.getOrDefault(ceiling ? 403 : 200, new LongAdder()).sum();
        System.out.printf("steady reports: %d in %.1f s = %.0f reports/s with %d threads; statuses %s%n", all.size(),
                elapsed, all.size() / elapsed, threads, statuses);
        long[] sorted = percentiles("report latency", all);
        StringBuilder timeline = new StringBuilder();
        for (int second = 0; second < worstPerSecond.length(); second++) {
            timeline.append(second == 0 ? "" : " ").append(worstPerSecond.get(second) / 1_000_000);
        }
        System.out.printf("worst latency ms per second from %d (epoch ms): %s%n", startEpochMillis, timeline);
        System.out.printf(java.util.Locale.ROOT, "RESULT {\"hosts\":%d,\"images\":%d,\"threads\":%d,\"rate\":%d,\"seconds\":%.2f,"
                + "\"reports\":%d,\"ok\":%d,\"reports_per_s\":%.1f,\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,"
                + "\"max_ms\":%.2f,\"uploads\":%d}%n", hosts, distinctImages, threads, rate, elapsed, all.size(), ok,
                all.size() / elapsed, at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, uploads.sum());
        if (ok != all.size()) {
            throw new IllegalStateException("not every steady report was answered " + (ceiling ? 403 : 200) + ": "
                    + statuses);
        }
    }

    /** A real {@code uname -v}: as long as the facts a fleet reports, so the stored bytes per host are honest. */
    private static final String KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)";

    /** A host's boot id as the kernel gives it (/proc/sys/kernel/random/boot_id): a UUID, the same every report. */
    private static String bootId(int host) {
        return UUID.nameUUIDFromBytes(("boot-" + host).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /**
     * One steady heartbeat of simulated host {@code host}: the same facts every time, the image named by hash, the
     * kernel release that of its image.
     */
    private static HttpResponse<String> report(URI base, String key, String run, int host, int distinctImages) {
        return send(HttpRequest.newBuilder(base.resolve("/agent/reports"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(reportBody(run, host, distinctImages))));
    }

    /** The JSON of a report of {@code host} (see {@link #report}), with a new report id and time every time. */
    private static String reportBody(String run, int host, int distinctImages) {
        int image = host % distinctImages;
        return "{\"reportId\":\"" + UUID.randomUUID() + "\",\"observedAt\":\"" + java.time.Instant.now()
                + "\",\"hostname\":\"bench-" + host
                + "\",\"labels\":{\"bench\":\"" + run + "\"},\"kernel\":{\"release\":\"6.1.0-bench-" + image + "\","
                + "\"version\":\"" + KERNEL_VERSION + "\",\"arch\":\"x86_64\",\"buildId\":\""
                + sha256(("kernel-" + image).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 40)
                + "\",\"bootId\":\"" + bootId(host) + "\"},\"vdso\":" + imageFacts(image) + "}";
    }

    /**
     * One sender's HTTP/1.1 keep-alive connection for the steady phase: a blocking socket and a hand-written
     * request, which costs the generator a fraction of java.net.http's CPU per request (the generator shares the
     * two cores with the service). Every request is still a distinct report with the host's own node key.
     */
    private static final class KeepAlive implements AutoCloseable {
        private final URI base;
        private java.net.Socket socket;
        private java.io.BufferedInputStream in;
        private java.io.OutputStream out;

        KeepAlive(URI base) {
            this.base = base;
        }

        /** POSTs {@code json} to {@code path} with {@code token}; the answer's status (its body is read and dropped). */
        int post(String path, String token, String json) throws java.io.IOException {
            byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + body.length + (FRESH_CONNECTIONS ? "\r\nConnection: close" : "")
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            boolean reused = socket != null;
            if (socket == null) {
                open();
            }
            try {
                out.write(head);
                out.write(body);
                out.flush();
                return answer();
            } catch (java.io.IOException e) {
                close();
                if (!reused) {
                    throw e;
                }
                // a kept-alive connection the server closed while idle: the request once more on a new one
                return post(path, token, json);
            }
        }

        private void open() throws java.io.IOException {
            socket = TLS != null ? TLS.getSocketFactory().createSocket(base.getHost(), base.getPort())
                    : new java.net.Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
        }

        private int answer() throws java.io.IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.1 ")) {
                throw new java.io.IOException("not an HTTP/1.1 answer: " + status);
            }
            long length = -1;
            boolean chunked = false;
            boolean closing = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closing = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0) {
                closing = true; // the body runs to the end of the connection
                while (in.read() >= 0) {
                    // drop it
                }
            }
            if (closing) {
                close();
            }
            return Integer.parseInt(status.substring(9, 12));
        }

        private String line() throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private void skip(long bytes) throws java.io.IOException {
            in.skipNBytes(bytes);
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (java.io.IOException e) {
                    // closing is best effort
                }
                socket = null;
            }
        }
    }

    private interface HostTask {
        void run(int host) throws Exception;
    }

    /** Runs {@code task} once for every host index on {@code threads} workers and waits for all of them. */
    private static void forEachHost(ExecutorService pool, int threads, int hosts, HostTask task) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < hosts; i = next.getAndIncrement()) {
                    task.run(i);
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get();
        }
    }

    /**
     * The raw-JDBC baseline: the column values of the same steady heartbeats, written by batched upserts on
     * {@code host_key} straight into the same database for {@code seconds}, from {@code threads} connections.
     */
    private static void baseline(String url, int hosts, int seconds, int threads, int batch) throws Exception {
        String run = "baseline-" + UUID.randomUUID().toString().substring(0, 8);
        String sql = """
                INSERT INTO hosts (host_key, hostname, labels, kernel_id, boot_id, image_sha256, reported_size,
                                   last_seen)
                VALUES (?, ?, CAST(? AS jsonb), ?, ?, decode(?, 'hex'), 8192, now())
                ON CONFLICT (host_key) DO UPDATE SET
                    hostname = EXCLUDED.hostname, labels = EXCLUDED.labels, kernel_id = EXCLUDED.kernel_id,
                    boot_id = EXCLUDED.boot_id, image_sha256 = EXCLUDED.image_sha256,
                    reported_size = EXCLUDED.reported_size, last_seen = now()
                """;
        int kernelId;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.PreparedStatement upsert = c.prepareStatement(sql)) {
            // the kernel is named by id, as the service names it (a row of kernels, made once)
            try (java.sql.Statement statement = c.createStatement();
                    java.sql.ResultSet id = statement.executeQuery("""
                            WITH made AS (INSERT INTO kernels (release, version, arch)
                                          VALUES ('6.1.0-bench', '%s', 'x86_64') ON CONFLICT DO NOTHING RETURNING id)
                            SELECT id FROM made UNION ALL SELECT id FROM kernels WHERE release = '6.1.0-bench'
                            """.formatted(KERNEL_VERSION))) {
                id.next();
                kernelId = id.getInt(1);
            }
            c.setAutoCommit(false);
            for (int host = 0; host < hosts; host++) {
                bind(upsert, run, kernelId, host);
                if (host % batch == batch - 1 || host == hosts - 1) {
                    upsert.executeBatch();
                }
            }
            c.commit();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long[] rows = new long[threads];
        System.out.println("STEADY-START");
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            futures.add(pool.submit(() -> {
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                        java.sql.PreparedStatement upsert = c.prepareStatement(sql)) {
                    c.setAutoCommit(false);
                    // each worker owns the hosts worker, worker + threads, ...: no two batches wait on one row
                    int host = worker;
                    while (System.nanoTime() < deadline) {
                        for (int b = 0; b < batch; b++) {
                            bind(upsert, run, kernelId, host);
                            host = host + threads < hosts ? host + threads : worker;
                        }
                        upsert.executeBatch();
                        c.commit();
                        rows[worker] += batch;
                    }
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long total = Arrays.stream(rows).sum();
        System.out.printf(java.util.Locale.ROOT, "RESULT {\"hosts\":%d,\"threads\":%d,\"batch\":%d,"
                + "\"seconds\":%.2f,\"rows\":%d,\"rows_per_s\":%.1f}%n", hosts, threads, batch, elapsed,
                total, total / elapsed);
        pool.shutdown();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.PreparedStatement delete = c.prepareStatement("DELETE FROM hosts WHERE host_key LIKE ?")) {
            delete.setString(1, run + "-%");
            delete.executeUpdate();
        }
    }

    private static void bind(java.sql.PreparedStatement upsert, String run, int kernelId, int host)
            throws java.sql.SQLException {
        upsert.setString(1, run + "-" + host);
        upsert.setString(2, "bench-" + host);
        upsert.setString(3, "{\"bench\":\"" + run + "\"}");
        upsert.setInt(4, kernelId);
        upsert.setString(5, bootId(host));
        upsert.setString(6, "%064x".formatted(host % 2000 + 1));
        upsert.addBatch();
    }

    private static void query(URI base, String token, int requests, String path) throws Exception {
        List<Long> latencies = new ArrayList<>();
        String first = null;
        int warmUp = Math.min(20, requests / 5);
        // bounded in time as well as in count: a slow endpoint is measured over fewer calls, not for hours
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(QUERY_SECONDS);
        for (int i = 0; i < requests + warmUp && (latencies.size() < 10 || System.nanoTime() < deadline); i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + token));
            if (i >= warmUp) {
                latencies.add(System.nanoTime() - start);
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
            }
            if (first == null) {
                first = response.body();
            }
        }
        int items = first.split("\"id\":", -1).length - 1;
        System.out.printf("GET %s: %d requests after %d warm-up, %d items on the first page, %d bytes%n", path,
                latencies.size(), warmUp, items, first.length());
        long[] sorted = percentiles("latency", latencies);
        System.out.printf(java.util.Locale.ROOT, "RESULT {\"requests\":%d,\"items\":%d,\"p50_ms\":%.2f,"
                + "\"p99_ms\":%.2f,\"max_ms\":%.2f}%n", latencies.size(), items, at(sorted, 0.50), at(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6);
    }

    /** Streams the CSV export at {@code path} once, counting rows without keeping them. */
    private static void csv(URI base, String token, String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token).header("Accept", "text/csv")
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + response.statusCode());
        }
        long lines = 0;
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        try (java.io.InputStream in = response.body()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    lines += buffer[i] == '\n' ? 1 : 0;
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long rows = Math.max(0, lines - 1);
        System.out.printf(java.util.Locale.ROOT, "RESULT {\"rows\":%d,\"bytes\":%d,\"seconds\":%.3f,"
                + "\"rows_per_s\":%.0f}%n", rows, bytes, elapsed, rows / elapsed);
    }

    private static long[] percentiles(String what, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (n=%d)%n", what, at(sorted, 0.50),
                at(sorted, 0.90), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6, sorted.length);
        return sorted;
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static final Map<Integer, byte[]> IMAGES = new ConcurrentHashMap<>();
    private static final Map<Integer, String> IMAGE_FACTS = new ConcurrentHashMap<>();

    /** The vDSO image the simulated images are copies of: -Dbench.image=FILE (bench/run_all.py passes one). */
    private static final String IMAGE_FILE = System.getProperty("bench.image", "");

    /**
     * Bytes of image {@code n}: a copy of the real vDSO image of {@code -Dbench.image} whose GNU build-id note
     * carries {@code n}, so every simulated image is a distinct, analysable build (no MALFORMED finding) and, each
     * on its own kernel release ({@link #report}), the only variant of its build and kernel cohorts (no PEER_MISMATCH).
     */
    private static byte[] imageBytes(int n) {
        return IMAGES.computeIfAbsent(n, i -> {
            byte[] bytes;
            try {
                bytes = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(IMAGE_FILE));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("-Dbench.image must name a vDSO image: " + e.getMessage(), e);
            }
            // the note header: namesz 4, descsz, type NT_GNU_BUILD_ID (3), name "GNU\0"; the build-id follows
            byte[] gnu = {3, 0, 0, 0, 'G', 'N', 'U', 0};
            for (int at = 8; at + gnu.length + 4 <= bytes.length; at++) {
                if (bytes[at - 8] == 4 && Arrays.equals(bytes, at, at + gnu.length, gnu, 0, gnu.length)) {
                    java.nio.ByteBuffer.wrap(bytes, at + gnu.length, 4).putInt(i);
                    return bytes;
                }
            }
            throw new IllegalStateException(IMAGE_FILE + " has no GNU build-id note");
        });
    }

    /**
     * The vdso facts of image {@code n} as the real agent reports them (hash, normalized hash, build-id, size),
     * computed by the product's own code (bench/run_all.py puts target/classes on the class path).
     */
    private static String imageFacts(int n) {
        return IMAGE_FACTS.computeIfAbsent(n, i -> {
            io.vdsoinventory.protocol.VdsoFacts facts = io.vdsoinventory.vdso.ImageFacts.of(imageBytes(i));
            return "{\"sha256\":\"" + facts.sha256() + "\",\"normalizedSha256\":\"" + facts.normalizedSha256()
                    + "\",\"buildId\":\"" + facts.buildId() + "\",\"size\":" + facts.size() + "}";
        });
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
