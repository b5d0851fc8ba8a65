package io.vdsoinventory.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The spelling of a SHA-256 digest on the wire: 64 lowercase hex digits. */
public final class Sha256 {

    /** Regular expression every sha256 field and path segment must match. */
    public static final String PATTERN = "[0-9a-f]{64}";

    private Sha256() {
    }

    /** The SHA-256 of {@code bytes}, spelled as on the wire. */
    public static String of(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Whether {@code text} is a SHA-256 digest spelled as on the wire. */
    public static boolean isValid(String text) {
        return text.matches(PATTERN);
    }
}
