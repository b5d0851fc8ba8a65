package io.vdsoinventory.vdso;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.protocol.VdsoFacts;

/** The wire facts of captured vDSO bytes, as an agent (or the server reporting itself) computes them. */
public final class ImageFacts {

    private ImageFacts() {
    }

    /**
     * The facts of captured {@code bytes}: always the sha256 and size; the normalized hash and build-id when the
     * bytes are a readable ELF image (otherwise the service judges them once uploaded).
     */
    public static VdsoFacts of(byte[] bytes) {
        String sha256 = Sha256.of(bytes);
        try {
            VdsoImage image = VdsoImage.analyze(bytes);
            return new VdsoFacts(sha256, image.normalizedSha256(), image.buildId().orElse(null), bytes.length);
        } catch (ElfFormatException e) {
            return new VdsoFacts(sha256, null, null, bytes.length);
        }
    }
}
