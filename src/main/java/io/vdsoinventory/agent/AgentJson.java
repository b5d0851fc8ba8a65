package io.vdsoinventory.agent;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.jr.ob.JSON;

/**
 * The agent's JSON: the protocol records it sends and reads, and its spool records, through jackson-jr rather
 * than Jackson databind, which would cost the daemon some 10 MB of resident memory in classes alone. Null fields
 * are left out of what it writes; fields it does not know in what it reads are ignored (a newer service may add
 * some).
 */
final class AgentJson {

    /** Text that is not the JSON of the expected type; the message names what is wrong. */
    static final class MalformedJsonException extends Exception {
        MalformedJsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final JSON MAPPER = JSON.builder()
            .disable(JSON.Feature.WRITE_NULL_PROPERTIES)
            .disable(JSON.Feature.FAIL_ON_UNKNOWN_BEAN_PROPERTY)
            .enable(JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER)
            .build();

    private AgentJson() {
    }

    static byte[] write(Object value) {
        return MAPPER.asBytes(value);
    }

    static <T> T read(byte[] json, Class<T> type) throws MalformedJsonException {
        return parsed(() -> MAPPER.beanFrom(type, json), "a " + type.getSimpleName());
    }

    /** A JSON object as a map, e.g. a problem+json answer. */
    static Map<String, Object> readObject(byte[] json) throws MalformedJsonException {
        return parsed(() -> MAPPER.mapFrom(json), "an object");
    }

    private interface Parse<T> {
        T parse() throws JacksonException;
    }

    /** What {@code parse} read; a JSON null or text that is not JSON of the {@code expected} shape is malformed. */
    private static <T> T parsed(Parse<T> parse, String expected) throws MalformedJsonException {
        try {
            T value = parse.parse();
            if (value == null) {
                throw new MalformedJsonException("null instead of " + expected, null);
            }
            return value;
        } catch (JacksonException e) {
            throw new MalformedJsonException(e.getOriginalMessage(), e);
        }
    }
}
