import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detection cost benchmark client (127.0.0.1 only). Uses this machine's own vDSO (read from /proc/self/mem) as
 * image A and a copy with one code byte changed as image B.
 *   prepare PORT SECRET OUT  enrolls the probe host, reports image A, writes "hostId nodeKey sha256" to OUT
 *   measure PORT NODEKEY N   N steady heartbeats, then N image-change reports (A/B alternating, new boot each)
 */
public class DetectionLoad {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String RELEASE = "6.1.0-bench";
    static final String VERSION = "#1 SMP bench";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        byte[] a = ownVdso();
        byte[] b = a.clone();
        b[0x700] ^= 0x01; // inside .text of a two-page vDSO: changes the normalized hash
        if (args[0].equals("prepare")) {
            String enrolled = post(port, "/agent/enroll", null, "{\"enrollSecret\":\"" + args[2]
                    + "\",\"hostKey\":\"bench-probe\",\"hostname\":\"bench-probe\"}");
            String nodeKey = field(enrolled, "nodeKey");
            report(port, nodeKey, a, "boot-0");
            Files.writeString(Path.of(args[3]), field(enrolled, "hostId") + " " + nodeKey + " " + sha256(a) + "\n");
            return;
        }
        String nodeKey = args[2];
        int n = Integer.parseInt(args[3]);
        report(port, nodeKey, a, "boot-0");
        long[] heartbeat = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            report(port, nodeKey, a, "boot-0");
            heartbeat[i] = System.nanoTime() - start;
        }
        long[] change = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            report(port, nodeKey, i % 2 == 0 ? b : a, "boot-" + (i + 1));
            change[i] = System.nanoTime() - start;
        }
        report(port, nodeKey, a, "boot-final");
        long[] again = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            report(port, nodeKey, a, "boot-final");
            again[i] = System.nanoTime() - start;
        }
        print("steady heartbeat (first run)", heartbeat);
        print("image change across a reboot (report + evaluation)", change);
        print("steady heartbeat (second run)", again);
    }

    static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-52s n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
                sorted[Math.min(sorted.length - 1, sorted.length * 99 / 100)] / 1e6);
    }

    /** One report; uploads the bytes when the server asks for them. */
    static void report(int port, String nodeKey, byte[] image, String bootId) throws Exception {
        String body = "{\"reportId\":\"" + UUID.randomUUID() + "\",\"hostname\":\"bench-probe\",\"kernel\":{\"release\":\""
                + RELEASE + "\",\"version\":\"" + VERSION + "\",\"arch\":\"x86_64\",\"bootId\":\"" + bootId
                + "\"},\"vdso\":{\"sha256\":\"" + sha256(image) + "\",\"size\":" + image.length + "}}";
        String answer = post(port, "/agent/reports", nodeKey, body);
        if (answer.contains("\"imageNeeded\":true")) {
            HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/agent/images/" + sha256(image)))
                    .header("Authorization", "Bearer " + nodeKey).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
            if (upload.statusCode() / 100 != 2) {
                throw new IllegalStateException("upload: " + upload.statusCode() + " " + upload.body());
            }
        }
    }

    static String post(int port, String path, String bearer, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The [vdso] mapping of this process, read through /proc/self/mem. */
    static byte[] ownVdso() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith("[vdso]")) {
                String[] range = line.split(" ")[0].split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                long end = Long.parseUnsignedLong(range[1], 16);
                byte[] bytes = new byte[(int) (end - start)];
                try (RandomAccessFile mem = new RandomAccessFile("/proc/self/mem", "r")) {
                    mem.seek(start);
                    mem.readFully(bytes);
                }
                return bytes;
            }
        }
        throw new IllegalStateException("no [vdso] mapping");
    }
}
