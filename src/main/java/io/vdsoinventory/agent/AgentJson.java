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
        try {
            T value = MAPPER.beanFrom(type, json);
            if (value == null) {
                throw new MalformedJsonException("null instead of a " + type.getSimpleName(), null);
            }
            return value;
        } catch (JacksonException e) {
            throw new MalformedJsonException(e.getOriginalMessage(), e);
        }
    }

    /** A JSON object as a map, e.g. a problem+json answer. */
    static Map<String, Object> readObject(byte[] json) throws MalformedJsonException {
        try {
            Map<String, Object> value = MAPPER.mapFrom(json);
            if (value == null) {
                throw new MalformedJsonException("null instead of an object", null);
            }
            return value;
        } catch (JacksonException e) {
            throw new MalformedJsonException(e.getOriginalMessage(), e);
        }
    }
}
