package io.vdsoinventory.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.protocol.VdsoFacts;
import io.vdsoinventory.server.ServiceTestSupport;
import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.vdso.ImageFacts;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HostQueryTests extends ServiceTestSupport {

    @Test
    void hostsWhenFilteredThenOnlyMatchingHosts() {
        String fleet = uniqueKey();
        String image = Sha256.of(fleet.getBytes(StandardCharsets.UTF_8));
        Agent old = reportedHost("old-" + fleet, "5.10.0", image, fleet);
        Agent current = reportedHost("new-" + fleet, "6.1.0", image, fleet);
        String viewer = token("VIEWER");

        assertThat(ids(viewer, Map.of("label", "fleet=" + fleet))).containsExactly(old.hostId(), current.hostId());
        assertThat(ids(viewer, Map.of("label", "fleet=" + fleet, "kernelRelease", "6.1.0")))
                .containsExactly(current.hostId());
        assertThat(ids(viewer, Map.of("q", "OLD-" + fleet.substring(0, 8)))).containsExactly(old.hostId());
        assertThat(ids(viewer, Map.of("image", image))).containsExactly(old.hostId(), current.hostId());
        assertThat(ids(viewer, Map.of("label", "fleet=" + fleet, "arch", "aarch64"))).isEmpty();
        assertThat(ids(viewer, Map.of("label", "fleet=" + fleet, "changedSince", Instant.now().plusSeconds(60).toString())))
                .isEmpty();
        assertThat(ids(viewer, Map.of("label", "fleet=" + fleet, "changedSince", "2020-01-01T00:00:00Z")))
                .containsExactly(old.hostId(), current.hostId());
    }

    @Test
    void hostsWhenSymbolThenHostsRunningAnImageExportingIt() {
        String fleet = uniqueKey();
        byte[] beast = vdsoImage("number_of_the_beast");
        byte[] stock = vdsoImage();
        Agent tampered = enroll(uniqueKey(), "tampered-" + fleet);
        reportImage(tampered, "tampered-" + fleet, "6.1.0", beast, Map.of("fleet", fleet));
        Agent clean = enroll(uniqueKey(), "clean-" + fleet);
        reportImage(clean, "clean-" + fleet, "6.1.0", stock, Map.of("fleet", fleet));
        String viewer = token("VIEWER");

        assertThat(ids(viewer, Map.of("symbol", "number_of_the_beast", "label", "fleet=" + fleet)))
                .containsExactly(tampered.hostId());
        assertThat(ids(viewer, Map.of("symbol", "__vdso_clock_gettime", "label", "fleet=" + fleet)))
                .containsExactly(tampered.hostId(), clean.hostId());
        JsonPath host = api(viewer).get("/hosts/{id}", tampered.hostId()).then().statusCode(200)
                .body("vdso.status", equalTo("ANALYZED")).extract().jsonPath();
        assertThat(ids(viewer, Map.of("image", host.getString("vdso.normalizedSha256"))))
                .containsExactly(tampered.hostId());
        assertThat(ids(viewer, Map.of("buildId", host.getString("vdso.buildId")))).containsExactly(tampered.hostId());
        JsonPath symbols = api(viewer).get("/symbols").then().statusCode(200).extract().jsonPath();
        assertThat(symbols.getList("items.name", String.class)).contains("number_of_the_beast");
        JsonPath image = api(viewer).get("/images/{sha}", Sha256.of(beast)).then().statusCode(200)
                .body("hostCount", equalTo(1))
                .body("arch", equalTo("x86_64"))
                .extract().jsonPath();
        assertThat(image.getList("symbols.name", String.class)).contains("__vdso_time", "number_of_the_beast");
        assertThat(image.getList("symbols.findAll { it.name == 'number_of_the_beast' }.type", String.class))
                .containsExactly("FUNC");
    }

    @Test
    void symbolsAndImageWhenHostsMoveBetweenImagesThenHostCountsFollow() {
        String symbol = "probe_" + uniqueKey().replace('-', '_');
        byte[] probe = vdsoImage(symbol);
        Agent first = enroll(uniqueKey(), "probe-1");
        reportImage(first, "probe-1", "6.1.0", probe, Map.of());
        Agent second = enroll(uniqueKey(), "probe-2");
        reportImage(second, "probe-2", "6.1.0", probe, Map.of());
        String viewer = token("VIEWER");

        assertThat(symbolCounts(viewer, symbol)).containsExactly(1, 2);
        api(viewer).get("/images/{sha}", Sha256.of(probe)).then().statusCode(200).body("hostCount", equalTo(2));

        reportImage(second, "probe-2", "6.1.0", vdsoImage(), Map.of());

        assertThat(symbolCounts(viewer, symbol)).containsExactly(1, 1);
        api(viewer).get("/images/{sha}", Sha256.of(probe)).then().statusCode(200).body("hostCount", equalTo(1));
    }

    @Test
    void hostWhenImageAnalysedThenNextReportStoresNoAgentClaimsAndAnalysisShown() {
        byte[] image = vdsoImage();
        VdsoFacts facts = ImageFacts.of(image);
        Agent agent = enroll(uniqueKey(), "claims");
        Map<String, Object> first = report("claims", "6.1.0", facts.sha256(), Map.of());
        first.put("vdso", facts);
        api(agent.nodeKey()).contentType(ContentType.JSON).body(first).post("/agent/reports").then().statusCode(200);
        String viewer = token("VIEWER");
        api(viewer).get("/hosts/{id}", agent.hostId()).then().statusCode(200)
                .body("vdso.buildId", equalTo(facts.buildId()));
        assertThat(claimsStored(agent)).isOne();

        reportImage(agent, "claims", "6.1.0", image, Map.of());
        Map<String, Object> heartbeat = report("claims", "6.1.0", facts.sha256(), Map.of());
        heartbeat.put("vdso", facts);
        api(agent.nodeKey()).contentType(ContentType.JSON).body(heartbeat).post("/agent/reports")
                .then().statusCode(200);

        assertThat(claimsStored(agent)).isZero();
        api(viewer).get("/hosts/{id}", agent.hostId()).then().statusCode(200)
                .body("vdso.status", equalTo("ANALYZED"))
                .body("vdso.buildId", equalTo(facts.buildId()))
                .body("vdso.normalizedSha256", equalTo(facts.normalizedSha256()))
                .body("vdso.size", equalTo(image.length));
    }

    private long claimsStored(Agent agent) {
        return count("""
                SELECT count(*) FROM hosts WHERE id = :id AND reported_normalized_sha256 IS NOT NULL
                    AND reported_build_id IS NOT NULL AND reported_size IS NOT NULL""", Map.of("id", agent.hostId()));
    }

    /** The images and hosts {@code GET /symbols} counts for {@code name}. */
    private List<Integer> symbolCounts(String viewer, String name) {
        JsonPath symbols = api(viewer).get("/symbols").then().statusCode(200).extract().jsonPath();
        String item = "items.find { it.name == '" + name + "' }";
        return List.of(symbols.getInt(item + ".images"), symbols.getInt(item + ".hosts"));
    }

    @Test
    void hostsWhenFindingFiltersThenOnlyHostsWithOpenFindings() {
        String fleet = uniqueKey();
        String image = Sha256.of(fleet.getBytes(StandardCharsets.UTF_8));
        Agent flagged = reportedHost("flagged-" + fleet, "6.1.0", image, fleet);
        Agent quiet = reportedHost("quiet-" + fleet, "6.1.0", image, fleet);
        // the row detection writes, written here: the filters are tested apart from the rules
        jdbc.sql("INSERT INTO findings (host_id, kind, severity, status) VALUES (:h, 'UNKNOWN_SYMBOL', 'HIGH', 'OPEN')")
                .param("h", flagged.hostId()).update();
        String viewer = token("VIEWER");

        assertThat(ids(viewer, Map.of("label", "fleet=" + fleet, "flagged", "true"))).containsExactly(flagged.hostId());
        assertThat(ids(viewer, Map.of("label", "fleet=" + fleet, "flagged", "false"))).containsExactly(quiet.hostId());
        assertThat(ids(viewer, Map.of("label", "fleet=" + fleet, "findingKind", "UNKNOWN_SYMBOL")))
                .containsExactly(flagged.hostId());
        api(viewer).get("/hosts/{id}", flagged.hostId()).then()
                .body("findings[0].kind", equalTo("UNKNOWN_SYMBOL"))
                .body("findings[0].severity", equalTo("HIGH"));
    }

    @Test
    void hostsWhenBadParametersThen400NamingEach() {
        String viewer = token("VIEWER");
        Map<String, String> bad = Map.of("limit", "0", "cursor", "%%%", "image", "xyz", "label", "novalue",
                "findingKind", "NOPE", "flagged", "maybe", "changedSince", "yesterday");
        bad.forEach((parameter, value) -> api(viewer).queryParam(parameter, value).get("/hosts")
                .then().statusCode(400).contentType("application/problem+json").body("parameter", equalTo(parameter)));
    }

    @Test
    void hostsWhenPagedWhileReportsArriveThenNoDuplicatesNoSkips() throws Exception {
        String fleet = uniqueKey();
        String image = Sha256.of(fleet.getBytes(StandardCharsets.UTF_8));
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            agents.add(reportedHost("page-" + i + "-" + fleet, "6.1.0", image, fleet));
        }
        String viewer = token("VIEWER");
        AtomicBoolean paging = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> written = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int offset = w;
            written.add(writers.submit(() -> {
                int reports = 0;
                while (paging.get()) {
                    Agent agent = agents.get((reports * 2 + offset) % agents.size());
                    api(agent.nodeKey()).contentType(ContentType.JSON)
                            .body(report("moved", "6.6.0", image, Map.of("fleet", fleet, "n", Integer.toString(reports))))
                            .post("/agent/reports").then().statusCode(200);
                    reportedHost("late-" + reports + "-" + offset + "-" + fleet, "6.1.0", image, fleet);
                    reports++;
                }
                return reports;
            }));
        }
        List<Long> seen;
        try {
            seen = allPages(viewer, "/hosts", Map.of("image", image, "limit", "4"), "items.id", Long.class);
        } finally {
            paging.set(false);
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(written.get(0).get() + written.get(1).get()).isPositive();
        assertThat(new HashSet<>(seen)).hasSize(seen.size());
        assertThat(seen).isSorted();
        assertThat(seen).containsAll(agents.stream().map(Agent::hostId).toList());
    }

    @Test
    void hostsWhenCsvThenAllMatchingHostsStreamedWithHeader() {
        String fleet = uniqueKey();
        String image = Sha256.of(fleet.getBytes(StandardCharsets.UTF_8));
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ids.add(reportedHost("csv-" + i + "-" + fleet, "6.1.0", image, fleet).hostId());
        }

        String csv = api(token("VIEWER")).accept("text/csv").queryParam("label", "fleet=" + fleet).get("/hosts")
                .then().statusCode(200).contentType("text/csv").extract().asString();

        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo(HostCsv.HEADER);
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(1, 4).stream().map(line -> Long.parseLong(line.split(",")[0])).toList())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(lines.get(1)).contains(",6.1.0,", image, "fleet=" + fleet);
    }

    @Test
    void hostEventsWhenPagedThenTimelineInOrder() {
        String fleet = uniqueKey();
        Agent agent = reportedHost("timeline-" + fleet, "6.1.0", Sha256.of(new byte[] {7}), fleet);
        String viewer = token("VIEWER");

        JsonPath first = api(viewer).queryParam("limit", 1).get("/hosts/{id}/events", agent.hostId())
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.kind")).containsExactly("ENROLLED");
        api(viewer).queryParam("cursor", first.getString("nextCursor")).get("/hosts/{id}/events", agent.hostId())
                .then().statusCode(200)
                .body("items.kind", equalTo(List.of("FIRST_REPORT")))
                .body("nextCursor", nullValue());
        api(viewer).get("/hosts/{id}/events", Long.MAX_VALUE).then().statusCode(404);
        api(viewer).get("/hosts/{id}", Long.MAX_VALUE).then().statusCode(404);
    }

    @Test
    void kernelsWhenHostsReportThenCountedPerReleaseAndArch() {
        String release = "6.9.0-" + uniqueKey().substring(0, 8);
        reportedHost("k1", release, Sha256.of(new byte[] {1}), uniqueKey());
        reportedHost("k2", release, Sha256.of(new byte[] {2}), uniqueKey());

        JsonPath kernels = api(token("VIEWER")).get("/kernels").then().statusCode(200).extract().jsonPath();

        int index = kernels.getList("items.release").indexOf(release);
        assertThat(index).isNotNegative();
        assertThat(kernels.getInt("items[" + index + "].hosts")).isEqualTo(2);
        assertThat(kernels.getInt("items[" + index + "].images")).isEqualTo(2);
    }

    @Test
    void imagesWhenPagedThenEveryImageOnce() {
        for (int i = 0; i < 3; i++) {
            reportImage(enroll(uniqueKey(), "img-" + i), "img-" + i, "6.1.0", vdsoImage(), Map.of());
        }
        String viewer = token("VIEWER");
        long total = count("SELECT count(*) FROM images", Map.of());

        List<String> seen = allPages(viewer, "/images", Map.of("limit", "2"), "items.sha256", String.class);

        assertThat(seen).doesNotHaveDuplicates().isSorted().hasSizeGreaterThanOrEqualTo((int) total);
        api(viewer).get("/images/{sha}", "0".repeat(64)).then().statusCode(404);
        api(viewer).get("/images/{sha}", "nope").then().statusCode(400).body("parameter", equalTo("sha256"));
    }

    @Test
    void imagesSpellByteOrderAsTheAgentDoesAndListsLeaveSymbolsOutInsteadOfEmpty() {
        byte[] buildId = new byte[20];
        ThreadLocalRandom.current().nextBytes(buildId);
        byte[] bigEndian = ElfImageBuilder.elf64(ByteOrder.BIG_ENDIAN, ElfImageBuilder.EM_S390)
                .soname("linux-vdso64.so.1").versions("LINUX_2.6.29").buildId(buildId)
                .symbol(ElfImageBuilder.SymbolSpec.function("__kernel_gettimeofday", "LINUX_2.6.29")).build().bytes();
        byte[] littleEndian = vdsoImage();
        // the report bodies are today's (and older agents') exact format: nothing in them names a byte order
        reportImage(enroll(uniqueKey(), "be-host"), "be-host", "6.1.0", bigEndian, Map.of());
        reportImage(enroll(uniqueKey(), "le-host"), "le-host", "6.1.0", littleEndian, Map.of());
        String viewer = token("VIEWER");

        List<Map> items = allPages(viewer, "/images", Map.of("limit", "50"), "items", Map.class);
        JsonPath big = api(viewer).get("/images/{sha}", Sha256.of(bigEndian)).then().statusCode(200)
                .extract().jsonPath();
        JsonPath little = api(viewer).get("/images/{sha}", Sha256.of(littleEndian)).then().statusCode(200)
                .extract().jsonPath();

        // agent inspect --json spells them alike (InspectCommandTests)
        assertThat(big.getString("byteOrder")).isEqualTo("BIG_ENDIAN");
        assertThat(little.getString("byteOrder")).isEqualTo("LITTLE_ENDIAN");
        assertThat(big.getList("symbols.name")).containsExactly("__kernel_gettimeofday");
        assertThat(items).isNotEmpty().allSatisfy(item -> assertThat(item).doesNotContainKey("symbols"));
        assertThat(items).filteredOn(item -> item.get("sha256").equals(Sha256.of(bigEndian)))
                .singleElement().satisfies(item -> assertThat(item.get("byteOrder")).isEqualTo("BIG_ENDIAN"));
    }

    private Agent reportedHost(String hostname, String release, String image, String fleet) {
        Agent agent = enroll(uniqueKey(), hostname);
        api(agent.nodeKey()).contentType(ContentType.JSON)
                .body(report(hostname, release, image, Map.of("fleet", fleet)))
                .post("/agent/reports").then().statusCode(200);
        return agent;
    }

    /** Follows {@code nextCursor} from the first page to the last, collecting {@code field} of every item. */
    private <T> List<T> allPages(String token, String path, Map<String, String> params, String field, Class<T> type) {
        List<T> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = api(token).queryParams(params);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList(field, type));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return seen;
    }

    private List<Long> ids(String token, Map<String, String> filters) {
        return api(token).queryParams(filters).queryParam("limit", 1000).get("/hosts")
                .then().statusCode(200).extract().jsonPath().getList("items.id", Long.class);
    }
}
