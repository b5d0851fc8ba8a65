package io.vdsoinventory.server.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Opaque keyset cursors: the last key of a page, base64url-encoded. A keyset on an immutable key never repeats
 * nor skips an item that matches throughout, however many rows are written meanwhile.
 */
public final class Cursor {

    private Cursor() {
    }

    public static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    public static String encode(long lastKey) {
        return encode(Long.toString(lastKey));
    }

    /** The key after which the page starts, or {@code ""} for the first page. */
    public static String decode(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return "";
        }
        try {
            // a key this service issued is UTF-8 text without NUL: anything else was forged
            String key = StrictText.of(Base64.getUrlDecoder().decode(cursor));
            if (key != null) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        throw ApiException.badParameter("cursor", "'" + cursor + "' is not a cursor this service issued");
    }

    /** The numeric key after which the page starts, 0 for the first page. */
    public static long decodeLong(@Nullable String cursor) {
        String key = decode(cursor);
        if (key.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw ApiException.badParameter("cursor", "'" + cursor + "' is not a cursor this service issued");
        }
    }

    /** Checks a requested page size. */
    public static int limit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw ApiException.badParameter("limit", "limit must be 1.." + max + ", got " + limit);
        }
        return limit;
    }
}
