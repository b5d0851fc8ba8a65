package io.vdsoinventory.server.ingest;

import io.vdsoinventory.server.fleet.ImageStatus;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The writes of ingest to {@code images} and {@code image_symbols}. */
@Repository
class ImageWriter {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ImageWriter(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** What is stored of an image already received. */
    record Stored(ImageStatus status, String parseError) {
    }

    Optional<Stored> find(String sha256) {
        return jdbc.sql("SELECT status, coalesce(parse_error, '') AS parse_error FROM images WHERE sha256 = :sha256")
                .param("sha256", sha256)
                .query((rs, row) -> new Stored(ImageStatus.valueOf(rs.getString("status")), rs.getString("parse_error")))
                .optional();
    }

    /** Stores an analysed image with its symbols; false when another upload stored it first. */
    boolean insertAnalyzed(String sha256, byte[] bytes, AnalyzedImage image) {
        int inserted = jdbc.sql("""
                INSERT INTO images (sha256, status, size, bytes, normalized_sha256, build_id, elf_class, byte_order,
                                    machine, arch, soname, versions, anomalies)
                VALUES (:sha256, 'ANALYZED', :size, :bytes, :normalizedSha256, :buildId, :elfClass, :byteOrder,
                        :machine, :arch, :soname, :versions, CAST(:anomalies AS jsonb))
                ON CONFLICT (sha256) DO NOTHING
                """)
                .param("sha256", sha256)
                .param("size", bytes.length)
                .param("bytes", bytes)
                .param("normalizedSha256", image.normalizedSha256())
                .param("buildId", image.buildId())
                .param("elfClass", image.elfClass())
                .param("byteOrder", image.byteOrder())
                .param("machine", image.machine())
                .param("arch", image.arch())
                .param("soname", image.soname())
                .param("versions", image.versions().toArray(String[]::new))
                .param("anomalies", json.writeValueAsString(image.anomalies()))
                .update();
        if (inserted == 0) {
            return false;
        }
        for (AnalyzedImage.Symbol symbol : image.symbols()) {
            jdbc.sql("""
                    INSERT INTO image_symbols (image_sha256, symbol_index, name, version, hidden, defined, value, size,
                                               type, binding, section_index)
                    VALUES (:sha256, :index, :name, :version, :hidden, :defined, :value, :size, :type, :binding,
                            :sectionIndex)
                    """)
                    .param("sha256", sha256)
                    .param("index", symbol.index())
                    .param("name", symbol.name())
                    .param("version", symbol.version())
                    .param("hidden", symbol.hidden())
                    .param("defined", symbol.defined())
                    .param("value", symbol.value())
                    .param("size", symbol.size())
                    .param("type", symbol.type())
                    .param("binding", symbol.binding())
                    .param("sectionIndex", symbol.sectionIndex())
                    .update();
        }
        return true;
    }

    /** Keeps the bytes of an image that could not be parsed, as evidence; false when already stored. */
    boolean insertMalformed(String sha256, byte[] bytes, String parseError) {
        return jdbc.sql("""
                INSERT INTO images (sha256, status, parse_error, size, bytes)
                VALUES (:sha256, 'MALFORMED', :parseError, :size, :bytes)
                ON CONFLICT (sha256) DO NOTHING
                """)
                .param("sha256", sha256)
                .param("parseError", parseError)
                .param("size", bytes.length)
                .param("bytes", bytes)
                .update() == 1;
    }
}
