package io.vdsoinventory.vdso;

import io.vdsoinventory.elf.ElfFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Judges what every patch site of an image holds. One image cannot tell an original instruction left for a CPU
 * without the feature from a forged one, but sites that share the same replacements (the same macro inlined in
 * several functions) are patched alike on one CPU: a site that holds something else than its twins is odd.
 */
final class PatchSites {

    record Result(List<PatchSite> sites, List<Anomaly> anomalies) {
    }

    private static final HexFormat HEX = HexFormat.of();

    /** What one site holds, with the key that makes twins equal and the value twins must share. */
    private record Judged(PatchSite site, String twinKey, String canonicalContent) {
    }

    private PatchSites() {
    }

    static Result judge(ElfFile elf, byte[] bytes, String arch, List<Alternatives.Entry> entries) {
        Map<Long, List<Alternatives.Entry>> bySite = entries.stream().collect(Collectors.groupingBy(
                Alternatives.Entry::siteAddress, LinkedHashMap::new, Collectors.toList()));
        List<Judged> judged = new ArrayList<>(bySite.size());
        for (List<Alternatives.Entry> siteEntries : bySite.values()) {
            judged.add(judgeOne(elf, bytes, arch, siteEntries));
        }
        return new Result(judged.stream().map(Judged::site).toList(), twinsThatDisagree(judged));
    }

    private static Judged judgeOne(ElfFile elf, byte[] bytes, String arch, List<Alternatives.Entry> siteEntries) {
        Alternatives.Entry first = siteEntries.get(0);
        int offset = (int) elf.fileOffsetOf(first.siteAddress()).orElseThrow();
        int length = siteEntries.stream().mapToInt(Alternatives.Entry::siteLength).max().orElse(0);
        List<String> replacements = new ArrayList<>(siteEntries.size());
        PatchSite.Content content = NopPadding.isPadding(arch, bytes, offset, offset + length)
                ? PatchSite.Content.PADDING : PatchSite.Content.OTHER;
        String canonical = content == PatchSite.Content.PADDING ? "padding" : null;
        for (Alternatives.Entry entry : siteEntries) {
            int replacementOffset = (int) elf.fileOffsetOf(entry.replacementAddress()).orElseThrow();
            byte[] replacement = Arrays.copyOfRange(bytes, replacementOffset,
                    replacementOffset + entry.replacementLength());
            replacements.add(entry.feature() + ":" + HEX.formatHex(replacement));
            if (canonical == null && holds(arch, bytes, offset, length, replacement,
                    entry.replacementAddress() - entry.siteAddress())) {
                content = PatchSite.Content.REPLACEMENT;
                canonical = "replacement " + HEX.formatHex(replacement);
            }
        }
        if (canonical == null) {
            canonical = HEX.formatHex(bytes, offset, offset + NopPadding.coreLength(arch, bytes, offset,
                    offset + length));
        }
        replacements.sort(null);
        return new Judged(new PatchSite(offset, length, content), length + "/" + replacements, canonical);
    }

    /**
     * Whether the site holds {@code replacement} followed by padding. An x86 replacement that starts with a
     * rel32 call or jump is moved by the kernel, which re-aims its displacement at the same target
     * (arch/x86/kernel/alternative.c: apply_relocation), so it is compared after that adjustment.
     */
    private static boolean holds(String arch, byte[] bytes, int offset, int length, byte[] replacement,
            long distance) {
        if (replacement.length > length) {
            return false;
        }
        byte[] expected = replacement;
        boolean x86 = arch.equals("x86_64") || arch.equals("x32") || arch.equals("i386");
        if (x86 && replacement.length >= 5 && ((replacement[0] & 0xff) == 0xe8 || (replacement[0] & 0xff) == 0xe9)) {
            expected = replacement.clone();
            int displacement = (replacement[1] & 0xff) | (replacement[2] & 0xff) << 8
                    | (replacement[3] & 0xff) << 16 | (replacement[4] & 0xff) << 24;
            int moved = (int) (displacement + distance);
            for (int i = 0; i < 4; i++) {
                expected[1 + i] = (byte) (moved >>> (8 * i));
            }
        }
        return Arrays.equals(bytes, offset, offset + expected.length, expected, 0, expected.length)
                && NopPadding.isPadding(arch, bytes, offset + expected.length, offset + length);
    }

    /** Sites whose content differs from what most of their twins hold (all of them on a tie). */
    private static List<Anomaly> twinsThatDisagree(List<Judged> judged) {
        List<Anomaly> anomalies = new ArrayList<>();
        Map<String, List<Judged>> twins = judged.stream().collect(Collectors.groupingBy(
                Judged::twinKey, LinkedHashMap::new, Collectors.toList()));
        for (List<Judged> group : twins.values()) {
            Map<String, Long> counts = group.stream().collect(Collectors.groupingBy(
                    Judged::canonicalContent, LinkedHashMap::new, Collectors.counting()));
            if (counts.size() < 2) {
                continue;
            }
            long most = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
            boolean tie = counts.values().stream().filter(c -> c == most).count() > 1;
            String usual = tie ? null : counts.entrySet().stream().filter(e -> e.getValue() == most)
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            for (Judged site : group) {
                if (!site.canonicalContent().equals(usual)) {
                    anomalies.add(new Anomaly(AnomalyKind.UNKNOWN_PATCH_SITE_CONTENT, String.format(
                            "patch site at offset 0x%x (%d bytes) holds %s, but %s",
                            site.site().offset(), site.site().length(), site.canonicalContent(),
                            tie ? "its " + (group.size() - 1) + " twin sites disagree among themselves"
                                    : most + " twin sites with the same replacements hold " + usual)));
                }
            }
        }
        return anomalies;
    }
}
