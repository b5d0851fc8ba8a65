package io.vdsoinventory.server.detection;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.vdso.PatchSite;
import io.vdsoinventory.vdso.VdsoImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where two images of one build differ, for PEER_MISMATCH evidence: the byte ranges of the ELF extent that differ
 * outside the CPU-alternatives patch sites of either image (the sites differ legitimately between CPUs).
 */
final class ImageDiff {

    /** Ranges listed at most; the count says how many there were. */
    private static final int MAX_RANGES = 16;

    private ImageDiff() {
    }

    /** The evidence of how {@code image} differs from {@code baseline}; empty when either is unreadable. */
    static Optional<Map<String, @Nullable Object>> of(byte[] image, byte[] baseline) {
        VdsoImage a;
        VdsoImage b;
        try {
            a = VdsoImage.analyze(image);
            b = VdsoImage.analyze(baseline);
        } catch (ElfFormatException e) {
            return Optional.empty();
        }
        int extent = (int) Math.min(a.elfExtent(), b.elfExtent());
        boolean[] site = new boolean[extent];
        for (List<PatchSite> sites : List.of(a.patchSites(), b.patchSites())) {
            for (PatchSite s : sites) {
                for (long at = Math.max(0, s.offset()); at < Math.min(extent, s.offset() + s.length()); at++) {
                    site[(int) at] = true;
                }
            }
        }
        List<String> ranges = new ArrayList<>();
        int count = 0;
        int at = 0;
        while (at < extent) {
            if (site[at] || image[at] == baseline[at]) {
                at++;
                continue;
            }
            int start = at;
            while (at < extent && !site[at] && image[at] != baseline[at]) {
                at++;
            }
            count++;
            if (ranges.size() < MAX_RANGES) {
                ranges.add(String.format("0x%x-0x%x", start, at));
            }
        }
        Map<String, @Nullable Object> diff = new LinkedHashMap<>();
        diff.put("baselineImageSha256", b.sha256());
        diff.put("elfExtents", List.of(a.elfExtent(), b.elfExtent()));
        diff.put("differingRanges", ranges);
        diff.put("differingRangeCount", count);
        return Optional.of(diff);
    }
}
