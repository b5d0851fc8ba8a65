package io.vdsoinventory.server.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vdsoinventory.elf.SymbolBinding;
import io.vdsoinventory.elf.SymbolType;
import io.vdsoinventory.server.fleet.ImageStatus;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads of images, symbols and kernels. Host counts come from the rollup the triggers of migration V4 keep (one row
 * per kernel and image, not per host), so no read here is linear in the fleet: every host with an image has reported
 * a kernel, which is what the rollup counts.
 */
@Repository
class ImageQueries {

    private static final TypeReference<List<Map<String, Object>>> ANOMALIES = new TypeReference<>() {
    };

    /** Hosts per current image: one pass over the rollup, whose size is the distinct kernels and images. */
    private static final String HOSTS_PER_IMAGE =
            "SELECT image_sha256, sum(hosts) AS hosts FROM kernel_image_hosts GROUP BY image_sha256";

    private static final String SELECT_IMAGES = """
            SELECT i.sha256, i.status, i.parse_error, i.size, i.normalized_sha256, i.build_id, i.elf_class,
                   i.byte_order, i.machine, i.arch, i.soname, i.versions, i.anomalies::text AS anomalies, i.first_seen,
                   coalesce(hc.hosts, 0) AS host_count
            FROM images i LEFT JOIN (%s) hc ON hc.image_sha256 = i.sha256
            """.formatted(HOSTS_PER_IMAGE);

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ImageQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * An image (schema {@code Image} of openapi.yaml, {@code ImageDetail} with its symbols).
     *
     * @param sha256 the content address
     * @param status ANALYZED or MALFORMED
     * @param parseError why a malformed image could not be parsed
     * @param byteOrder LITTLE_ENDIAN or BIG_ENDIAN, as {@code VdsoImage.byteOrderName} and the agent spell it
     * @param hostCount hosts whose current image this is
     * @param symbols the .dynsym entries; null in lists, where the field is left out rather than shown empty
     */
    record ImageView(String sha256, ImageStatus status, @Nullable String parseError, int size,
            @Nullable String normalizedSha256, @Nullable String buildId, @Nullable Integer elfClass,
            @Nullable String byteOrder, @Nullable Integer machine, @Nullable String arch, @Nullable String soname,
            List<String> versions, List<Map<String, Object>> anomalies, Instant firstSeen, long hostCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<SymbolView> symbols) {
    }

    /** One .dynsym entry of an image; type and binding spelled as readelf does (FUNC, GLOBAL, ...). */
    record SymbolView(int index, String name, @Nullable String version, boolean hidden, boolean defined, long value,
            long size, String type, String binding, int sectionIndex) {
    }

    List<ImageView> page(String afterSha256, int limit) {
        return jdbc.sql(SELECT_IMAGES + " WHERE i.sha256 > :after ORDER BY i.sha256 LIMIT :limit")
                .param("after", afterSha256)
                .param("limit", limit)
                .query((rs, row) -> image(rs, null))
                .list();
    }

    Optional<ImageView> find(String sha256) {
        List<SymbolView> symbols = jdbc.sql("""
                SELECT symbol_index, name, version, hidden, defined, value, size, type, binding, section_index
                FROM image_symbols WHERE image_sha256 = :sha256 ORDER BY symbol_index
                """)
                .param("sha256", sha256)
                .query((rs, row) -> new SymbolView(rs.getInt("symbol_index"), rs.getString("name"),
                        rs.getString("version"), rs.getBoolean("hidden"), rs.getBoolean("defined"),
                        rs.getLong("value"), rs.getLong("size"), new SymbolType(rs.getInt("type")).readelfName(),
                        new SymbolBinding(rs.getInt("binding")).readelfName(),
                        rs.getInt("section_index")))
                .list();
        return jdbc.sql(SELECT_IMAGES + " WHERE i.sha256 = :sha256")
                .param("sha256", sha256)
                .query((rs, row) -> image(rs, symbols))
                .optional();
    }

    Optional<byte[]> bytes(String sha256) {
        return jdbc.sql("SELECT bytes FROM images WHERE sha256 = :sha256")
                .param("sha256", sha256)
                .query(byte[].class)
                .optional();
    }

    /** A defined symbol name: in how many images, and on how many hosts' current images. */
    record SymbolCount(String name, long images, long hosts) {
    }

    List<SymbolCount> symbols() {
        return jdbc.sql("""
                SELECT s.name, count(*) AS images, coalesce(sum(hc.hosts), 0) AS hosts
                FROM (SELECT DISTINCT name, image_sha256 FROM image_symbols WHERE defined) s
                LEFT JOIN (%s) hc ON hc.image_sha256 = s.image_sha256
                GROUP BY s.name ORDER BY s.name
                """.formatted(HOSTS_PER_IMAGE))
                .query((rs, row) -> new SymbolCount(rs.getString("name"), rs.getLong("images"), rs.getLong("hosts")))
                .list();
    }

    /** A kernel (release and arch): its hosts, distinct images, and build-ids of the kernels and of the images. */
    record KernelView(String release, String arch, long hosts, long images, List<String> kernelBuildIds,
            List<String> vdsoBuildIds) {
    }

    List<KernelView> kernels() {
        return jdbc.sql("""
                SELECT k.kernel_release, k.arch, sum(k.hosts) AS hosts, count(DISTINCT k.image_sha256) AS images,
                       array_remove(array_agg(DISTINCT k.kernel_build_id), NULL) AS kernel_build_ids,
                       array_remove(array_agg(DISTINCT i.build_id), NULL) AS vdso_build_ids
                FROM kernel_image_hosts k LEFT JOIN images i ON i.sha256 = k.image_sha256
                GROUP BY k.kernel_release, k.arch ORDER BY k.kernel_release, k.arch
                """)
                .query((rs, row) -> new KernelView(rs.getString("kernel_release"), rs.getString("arch"),
                        rs.getLong("hosts"), rs.getLong("images"), strings(rs.getArray("kernel_build_ids")),
                        strings(rs.getArray("vdso_build_ids"))))
                .list();
    }

    private ImageView image(ResultSet rs, @Nullable List<SymbolView> symbols) throws SQLException {
        return new ImageView(rs.getString("sha256"), ImageStatus.valueOf(rs.getString("status")),
                rs.getString("parse_error"), rs.getInt("size"), rs.getString("normalized_sha256"),
                rs.getString("build_id"), rs.getObject("elf_class", Integer.class), rs.getString("byte_order"),
                rs.getObject("machine", Integer.class), rs.getString("arch"), rs.getString("soname"),
                strings(rs.getArray("versions")), json.readValue(rs.getString("anomalies"), ANOMALIES),
                rs.getTimestamp("first_seen").toInstant(), rs.getLong("host_count"), symbols);
    }

    private static List<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
