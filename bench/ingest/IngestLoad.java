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
 * ingest PORT ENROLL_SECRET HOSTS SECONDS THREADS NEW_IMAGE_EVERY
 *     enrolls HOSTS simulated hosts, then for SECONDS sends steady heartbeats from THREADS workers; every
 *     NEW_IMAGE_EVERY-th report names a new image and uploads its bytes. Prints reports/s and latency percentiles.
 * query PORT TOKEN REQUESTS PATH
 *     GETs PATH (e.g. "/hosts?symbol=number_of_the_beast&amp;limit=100") REQUESTS times; prints latency percentiles.
 * </pre>
 */
public class IngestLoad {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern NODE_KEY = Pattern.compile("\"nodeKey\":\"([^\"]+)\"");
    private static final Pattern IMAGE_NEEDED = Pattern.compile("\"imageNeeded\":(true|false)");

    public static void main(String[] args) throws Exception {
        if (args.length == 7 && args[0].equals("ingest")) {
            ingest(base(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]));
        } else if (args.length == 5 && args[0].equals("query")) {
            query(base(args[1]), args[2], Integer.parseInt(args[3]), args[4]);
        } else {
            System.err.println("usage: ingest PORT SECRET HOSTS SECONDS THREADS NEW_IMAGE_EVERY | query PORT TOKEN N PATH");
            System.exit(2);
        }
    }

    private static URI base(String port) {
        return URI.create("http://127.0.0.1:" + Integer.parseInt(port));
    }

    private static void ingest(URI base, String secret, int hosts, int seconds, int threads, int newImageEvery)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] keys = new String[hosts];
        String[] images = new String[hosts];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long enrollStart = System.nanoTime();
        List<java.util.concurrent.Future<?>> enrolls = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            enrolls.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < hosts; i = next.getAndIncrement()) {
                    String body = "{\"enrollSecret\":\"" + secret + "\",\"hostKey\":\"bench-" + run + "-" + i
                            + "\",\"hostname\":\"bench-" + i + "\"}";
                    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/agent/enroll"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
                    Matcher key = NODE_KEY.matcher(response.body());
                    if (response.statusCode() != 200 || !key.find()) {
                        throw new IllegalStateException("enroll failed: " + response.statusCode() + " " + response.body());
                    }
                    keys[i] = key.group(1);
                    images[i] = "stock-" + (i % 50);
                }
                return null;
            }));
        }
        for (var f : enrolls) {
            f.get();
        }
        System.out.printf("enrolled %d hosts in %.1f s%n", hosts, (System.nanoTime() - enrollStart) / 1e9);

        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<long[]> perThread = new ArrayList<>();
        LongAdder uploads = new LongAdder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] latencies = new long[500_000];
            perThread.add(latencies);
            int worker = t;
            workers.add(pool.submit(() -> {
                int n = 0;
                int sent = 0;
                while (System.nanoTime() < deadline && n < latencies.length) {
                    int host = (worker + sent * threads) % hosts;
                    sent++;
                    boolean newImage = newImageEvery > 0 && ThreadLocalRandom.current().nextInt(newImageEvery) == 0;
                    if (newImage) {
                        images[host] = "new-" + UUID.randomUUID();
                    }
                    byte[] bytes = imageBytes(images[host]);
                    String sha = sha256(bytes);
                    String body = "{\"reportId\":\"" + UUID.randomUUID() + "\",\"hostname\":\"bench-" + host
                            + "\",\"labels\":{\"bench\":\"" + run + "\"},\"kernel\":{\"release\":\"6.1.0-bench\","
                            + "\"version\":\"#1 SMP\",\"arch\":\"x86_64\",\"bootId\":\"boot-" + host + "\"},"
                            + "\"vdso\":{\"sha256\":\"" + sha + "\",\"size\":" + bytes.length + "}}";
                    long start = System.nanoTime();
                    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/agent/reports"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + keys[host])
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
                    latencies[n++] = System.nanoTime() - start;
                    statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
                    Matcher needed = IMAGE_NEEDED.matcher(response.body());
                    if (needed.find() && needed.group(1).equals("true")) {
                        HttpResponse<String> upload = send(HttpRequest.newBuilder(base.resolve("/agent/images/" + sha))
                                .header("Content-Type", "application/octet-stream")
                                .header("Authorization", "Bearer " + keys[host])
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
                        statuses.computeIfAbsent(upload.statusCode() + 1000, s -> new LongAdder()).increment();
                        uploads.increment();
                    }
                }
                return n;
            }));
        }
        long total = 0;
        long start = System.nanoTime();
        List<Long> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = (Integer) workers.get(t).get();
            total += n;
            for (int i = 0; i < n; i++) {
                all.add(perThread.get(t)[i]);
            }
        }
        pool.shutdown();
        double elapsed = seconds;
        System.out.printf("reports: %d in %d s = %.0f reports/s with %d threads; image uploads: %d%n", total, seconds,
                total / elapsed, threads, uploads.sum());
        System.out.println("report statuses: " + statuses.entrySet().stream().filter(e -> e.getKey() < 1000)
                .map(e -> e.getKey() + "=" + e.getValue()).toList()
                + ", upload statuses: " + statuses.entrySet().stream().filter(e -> e.getKey() >= 1000)
                .map(e -> (e.getKey() - 1000) + "=" + e.getValue()).toList());
        percentiles("report latency", all);
    }

    private static void query(URI base, String token, int requests, String path) throws Exception {
        List<Long> latencies = new ArrayList<>();
        String first = null;
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + token));
            latencies.add(System.nanoTime() - start);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
            }
            if (first == null) {
                first = response.body();
            }
        }
        int items = first.split("\"id\":", -1).length - 1;
        System.out.printf("GET %s: %d requests, %d items per page%n", path, requests, items);
        percentiles("latency (after 20 warm-up)", latencies.subList(Math.min(20, requests - 1), requests));
    }

    private static void percentiles(String what, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (n=%d)%n", what, at(sorted, 0.50),
                at(sorted, 0.90), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /** Stand-in image bytes: two pages derived from the name (not an ELF image: stored as MALFORMED evidence). */
    private static byte[] imageBytes(String name) {
        byte[] bytes = new byte[8192];
        byte[] seed = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        return bytes;
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
