package io.vdsoinventory.server.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.ServiceTestSupport;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.vdso.ImageFacts;
import io.vdsoinventory.vdso.abi.AbiCatalog;
import io.vdsoinventory.vdso.abi.AbiEntry;
import io.vdsoinventory.vdso.abi.AbiSymbol;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Hosts of one fleet (a label per test) reporting images built from the ABI catalog, and what the API says of them. */
abstract class DetectionTestSupport extends ServiceTestSupport {

    private static final AbiCatalog CATALOG = AbiCatalog.load();

    /** What a host claims about its kernel. */
    protected record Kernel(String release, String version, String arch, String bootId) {

        Kernel rebooted(String newBootId) {
            return new Kernel(release, version, arch, newBootId);
        }
    }

    protected String fleet;

    protected Kernel kernel(String arch) {
        return new Kernel("6.1.0-" + UUID.randomUUID().toString().substring(0, 8), "#1 SMP Debian 6.1.76-1", arch,
                UUID.randomUUID().toString());
    }

    // --- fleet helpers ---

    protected Agent host(String name) {
        return enroll(uniqueKey(), name + "-" + fleet);
    }

    protected void report(Agent agent, Kernel kernel, byte @Nullable [] image) {
        send(agent, kernel, image, null, null);
    }

    protected void send(Agent agent, Kernel kernel, byte @Nullable [] image, @Nullable Map<String, Object> processScan,
            @Nullable List<Map<String, Object>> clockCheck) {
        Map<String, Object> body = body(agent, kernel, image);
        if (processScan != null) {
            body.put("processScan", processScan);
        }
        if (clockCheck != null) {
            body.put("clockCheck", clockCheck);
        }
        boolean needed = api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports")
                .then().statusCode(200).extract().path("imageNeeded");
        if (needed) {
            api(agent.nodeKey()).contentType("application/octet-stream").body(image)
                    .put("/agent/images/{sha}", Sha256.of(image)).then().statusCode(201);
        }
    }

    protected Map<String, Object> body(Agent agent, Kernel kernel, byte @Nullable [] image) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reportId", UUID.randomUUID().toString());
        body.put("hostname", agent.hostId() + "-" + fleet);
        body.put("labels", Map.of("fleet", fleet));
        body.put("kernel", Map.of("release", kernel.release(), "version", kernel.version(), "arch", kernel.arch(),
                "bootId", kernel.bootId()));
        if (image != null) {
            body.put("vdso", ImageFacts.of(image));
        }
        return body;
    }

    /** A complete, privileged scan summary as the agent sends it: {@code processes} are the mismatching ones. */
    protected static Map<String, Object> scan(int scanned, List<Map<String, Object>> processes) {
        Map<String, Object> scan = new LinkedHashMap<>();
        scan.put("processesScanned", scanned);
        scan.put("mismatches", processes.size());
        scan.put("unreadable", 0);
        scan.put("processes", processes);
        scan.put("noVdso", 12);
        scan.put("exited", 1);
        scan.put("truncated", false);
        scan.put("skipped", 0);
        scan.put("privileged", true);
        return scan;
    }

    protected static Map<String, Object> process(int pid, String command, String symbol) {
        return Map.of("pid", pid, "command", command, "executable", "/usr/sbin/" + command,
                "container", "0::/system.slice/" + command + ".service", "symbols", List.of(symbol));
    }

    protected static Map<String, Object> reading(String clock, long differenceNanos, boolean consistent) {
        return Map.of("clock", clock, "differenceNanos", differenceNanos, "consistent", consistent);
    }

    protected List<Long> hostIds(Map<String, String> filters) {
        return api(token("VIEWER")).queryParams(filters).queryParam("label", "fleet=" + fleet).queryParam("limit", 1000)
                .get("/hosts").then().statusCode(200).extract().jsonPath().getList("items.id", Long.class);
    }

    protected JsonPath findings(Map<String, String> filters) {
        return api(token("VIEWER")).queryParams(filters).get("/findings").then().statusCode(200).extract().jsonPath();
    }

    protected List<String> openKinds(Agent host) {
        return findings(Map.of("host", Long.toString(host.hostId()), "status", "OPEN")).getList("items.kind", String.class);
    }

    /** The host's one open finding, which must be of {@code kind}. */
    protected JsonPath onlyFinding(Agent host, FindingKind kind) {
        JsonPath open = findings(Map.of("host", Long.toString(host.hostId()), "status", "OPEN"));
        assertThat(open.getList("items.kind", String.class)).containsExactly(kind.name());
        return new JsonPath(open.prettify()).setRootPath("items[0]");
    }

    /** The host has no open finding, and its findings of {@code kind} are resolved. */
    protected void assertResolvedAndNothingOpen(Agent host, FindingKind kind) {
        assertThat(openKinds(host)).isEmpty();
        assertThat(findings(Map.of("host", Long.toString(host.hostId()), "kind", kind.name()))
                .getList("items.status", String.class)).containsExactly("RESOLVED");
    }

    protected List<String> eventKinds(Agent host) {
        return api(token("VIEWER")).queryParam("limit", 1000).get("/hosts/{id}/events", host.hostId())
                .then().statusCode(200).extract().jsonPath().getList("items.kind", String.class);
    }

    protected double metric(String series) {
        String scrape = io.restassured.RestAssured.given().port(port).get("/actuator/prometheus").asString();
        return scrape.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(series.length() + 1))).findFirst().orElse(0);
    }

    // --- images built from the ABI catalog ---

    protected static byte[] randomBuildId() {
        byte[] id = new byte[20];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    protected static byte[] buildIdOf(byte[] image) {
        try {
            String hex = io.vdsoinventory.vdso.VdsoImage.analyze(image).buildId().orElseThrow();
            return java.util.HexFormat.of().parseHex(hex);
        } catch (io.vdsoinventory.elf.ElfFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] catalogImage(String arch, byte[] buildId, String... extraFunctions) {
        ElfImageBuilder builder = catalogBuilder(arch, buildId);
        String node = CATALOG.forArch(arch).get(0).versionNodes().get(0);
        for (String name : extraFunctions) {
            builder.symbol(ElfImageBuilder.SymbolSpec.function(name, node));
        }
        return builder.build().bytes();
    }

    /** An image of {@code arch}'s first catalogued ABI exporting every symbol the catalog lists for it. */
    protected static ElfImageBuilder catalogBuilder(String arch, byte[] buildId) {
        AbiEntry abi = CATALOG.forArch(arch).get(0);
        ElfImageBuilder builder = switch (arch) {
            case "x86_64" -> ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_X86_64);
            case "i386" -> ElfImageBuilder.elf32(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_386);
            case "aarch64" -> ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_AARCH64);
            case "ppc64" -> ElfImageBuilder.elf64(ByteOrder.BIG_ENDIAN, ElfImageBuilder.EM_PPC64);
            case "s390x" -> ElfImageBuilder.elf64(ByteOrder.BIG_ENDIAN, ElfImageBuilder.EM_S390);
            case "riscv64" -> ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_RISCV);
            default -> throw new IllegalArgumentException(arch);
        };
        Set<String> nodes = new LinkedHashSet<>(abi.versionNodes());
        abi.symbols().forEach(symbol -> nodes.add(symbol.versionNode()));
        builder.versions(nodes.toArray(String[]::new));
        nodes.forEach(node -> builder.symbol(ElfImageBuilder.SymbolSpec.absolute(node, node)));
        for (AbiSymbol symbol : abi.symbols()) {
            builder.symbol(ElfImageBuilder.SymbolSpec.function(symbol.name(), symbol.versionNode()));
        }
        return builder.soname(abi.sonames().get(0)).buildId(buildId);
    }
}
