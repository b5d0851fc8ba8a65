package io.vdsoinventory.server.security;

import io.vdsoinventory.protocol.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** Generating bearer secrets and the one-way hash under which they are stored and compared. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new random secret: 32 bytes, base64url, behind a prefix that tells what it is when it leaks. */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the secret's UTF-8 bytes, lowercase hex: what the database keeps. */
    public static String hash(String secret) {
        return Sha256.of(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Compares two secrets in time independent of where they differ (both are hashed to equal length first). */
    public static boolean matches(String expected, String actual) {
        return MessageDigest.isEqual(hash(expected).getBytes(StandardCharsets.US_ASCII),
                hash(actual).getBytes(StandardCharsets.US_ASCII));
    }
}
