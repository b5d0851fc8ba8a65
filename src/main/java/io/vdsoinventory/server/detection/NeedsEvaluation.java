package io.vdsoinventory.server.detection;

/**
 * Whether a host needs evaluating, as SQL that ingest embeds in the statement writing a report, so that a steady
 * heartbeat learns it without a statement or a transaction of its own. Detection owns the condition: it is true
 * when detection's record of the host ({@code host_detection}) no longer matches the host row.
 */
public final class NeedsEvaluation {

    /**
     * A boolean over the {@code hosts} row aliased {@code h}: never evaluated, another image, boot or kernel (by
     * the hash of migration V7), bytes analysed since, or silent. A report's process scan and clock check
     * detection compares itself, by digest and verdict ({@link DetectionService}).
     */
    public static final String HOST_ROW = """
            (NOT EXISTS (SELECT 1 FROM host_detection d WHERE d.host_id = h.id
                    AND d.observed = host_observation(encode(h.image_sha256, 'hex'), h.boot_id, h.kernel_id)
                    AND (d.image_analyzed
                         OR NOT EXISTS (SELECT 1 FROM images i WHERE i.sha256 = encode(h.image_sha256, 'hex'))))
                OR EXISTS (SELECT 1 FROM findings f WHERE f.host_id = h.id AND f.kind = 'HOST_SILENT'
                    AND f.status <> 'RESOLVED'))""";

    private NeedsEvaluation() {
    }
}
