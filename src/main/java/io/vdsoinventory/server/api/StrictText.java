package io.vdsoinventory.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Text from untrusted bytes: UTF-8 decoded strictly, and never holding NUL (PostgreSQL refuses it in text). */
final class StrictText {

    private StrictText() {
    }

    /** {@code bytes} as UTF-8 text without NUL; null when they are not. */
    static @Nullable String of(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
