package io.vdsoinventory.server.ingest;

import io.vdsoinventory.protocol.KernelFacts;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The ids of kernel identities ({@code kernels}, migration V7), a row created for each new one. Rows never change,
 * so ids are cached: a heartbeat names its kernel without asking the database.
 */
@Repository
class KernelIds {

    /** Far above the distinct kernels of a fleet; past it the cache starts over rather than grow without bound. */
    private static final int CACHED = 4096;

    private record Identity(String release, @Nullable String version, String arch, @Nullable String buildId) {
    }

    private final JdbcClient jdbc;
    private final Map<Identity, Integer> cache = new ConcurrentHashMap<>();

    KernelIds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The id of the kernel that {@code kernel} identifies (its boot id aside), committed before this returns: a
     * report rejected afterwards leaves an unnamed row, never a missing one.
     */
    int idOf(KernelFacts kernel) {
        Identity identity = new Identity(kernel.release(), kernel.version(), kernel.arch(), kernel.buildId());
        Integer cached = cache.get(identity);
        if (cached != null) {
            return cached;
        }
        // a concurrent first report of the same kernel makes the insert do nothing; the row is committed by then
        int id = find(identity).or(() -> create(identity)).or(() -> find(identity)).orElseThrow();
        if (cache.size() >= CACHED) {
            cache.clear();
        }
        cache.put(identity, id);
        return id;
    }

    private Optional<Integer> find(Identity identity) {
        return jdbc.sql("""
                SELECT id FROM kernels WHERE release = :release AND version IS NOT DISTINCT FROM CAST(:version AS text)
                    AND arch = :arch AND build_id IS NOT DISTINCT FROM CAST(:buildId AS text)
                """)
                .params(params(identity))
                .query(Integer.class)
                .optional();
    }

    private Optional<Integer> create(Identity identity) {
        return jdbc.sql("""
                INSERT INTO kernels (release, version, arch, build_id) VALUES (:release, :version, :arch, :buildId)
                ON CONFLICT (release, version, arch, build_id) DO NOTHING RETURNING id
                """)
                .params(params(identity))
                .query(Integer.class)
                .optional();
    }

    private static Map<String, @Nullable Object> params(Identity identity) {
        Map<String, @Nullable Object> params = new HashMap<>();
        params.put("release", identity.release());
        params.put("version", identity.version());
        params.put("arch", identity.arch());
        params.put("buildId", identity.buildId());
        return params;
    }
}
