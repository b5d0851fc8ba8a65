package io.vdsoinventory.vdso;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.testing.AlternativesImage;
import io.vdsoinventory.testing.AlternativesImage.Layout;
import java.util.Arrays;
import java.util.List;

/**
 * Whatever the bytes, {@link VdsoImage#analyze} returns a consistent image or throws {@link ElfFormatException}.
 * Stored inputs replay in every test run; {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class VdsoImageFuzzTests {

    /** Images with alternatives tables in every layout, so edits reach the patch-site code. */
    private static final List<byte[]> SEEDS = List.of(
            AlternativesImage.x86(Layout.X86_12).bytes(),
            AlternativesImage.x86(Layout.X86_14).bytes(),
            Arrays.copyOf(AlternativesImage.x86(Layout.X86_14).bytes(), 8192));

    @FuzzTest(maxDuration = "2m")
    void analyzeAnyBytes(byte[] input) {
        analyzeExpectingOnlyFormatErrors(input);
    }

    /** Overwrites a few fields of a seed image, most often inside its alternatives table and code. */
    @FuzzTest(maxDuration = "2m")
    void analyzeAnImageWithEditedFields(FuzzedDataProvider data) {
        byte[] image = SEEDS.get(data.consumeInt(0, SEEDS.size() - 1)).clone();
        int edits = data.consumeInt(1, 6);
        for (int i = 0; i < edits; i++) {
            int at = data.consumeInt(0, image.length - 1);
            int width = data.pickValue(new int[] {1, 2, 4, 8});
            long value = data.consumeLong();
            for (int b = 0; b < width && at + b < image.length; b++) {
                image[at + b] = (byte) (value >>> (8 * b));
            }
        }
        analyzeExpectingOnlyFormatErrors(image);
    }

    private static void analyzeExpectingOnlyFormatErrors(byte[] input) {
        try {
            VdsoImage image = VdsoImage.analyze(input);
            assertThat(image.size()).isEqualTo(input.length);
            assertThat(image.elfExtent()).isBetween(0L, (long) input.length);
            assertThat(image.sha256()).hasSize(64);
            assertThat(image.normalizedSha256()).hasSize(64);
            for (PatchSite site : image.patchSites()) {
                assertThat(site.offset()).isBetween(0L, (long) input.length);
                assertThat(site.offset() + site.length()).isLessThanOrEqualTo(input.length);
            }
            image.anomalies().forEach(anomaly -> assertThat(anomaly.detail()).isNotBlank());
        } catch (ElfFormatException expected) {
            assertThat(expected.reason()).isNotBlank();
        }
    }
}
