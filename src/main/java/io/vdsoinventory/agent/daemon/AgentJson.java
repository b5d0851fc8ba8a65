package io.vdsoinventory.agent.daemon;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.jr.ob.JSON;
import tools.jackson.jr.ob.JacksonJrExtension;
import tools.jackson.jr.ob.api.ExtensionContext;
import tools.jackson.jr.ob.api.ReaderWriterModifier;
import tools.jackson.jr.ob.api.ReaderWriterProvider;
import tools.jackson.jr.ob.api.ValueReader;
import tools.jackson.jr.ob.api.ValueWriter;
import tools.jackson.jr.ob.impl.BeanConstructors;
import tools.jackson.jr.ob.impl.JSONReader;
import tools.jackson.jr.ob.impl.JSONWriter;
import tools.jackson.jr.ob.impl.POJODefinition;

/**
 * The agent's JSON: the protocol records it sends and reads, and its spool records, through jackson-jr rather
 * than Jackson databind, which would cost the daemon some 10 MB of resident memory in classes alone. Null fields
 * are left out of what it writes; fields it does not know in what it reads are ignored (a newer service may add
 * some). An {@link Instant} is RFC 3339 text in UTC ({@code 2026-11-27T03:00:00.123Z}), as the service reads it:
 * jackson-jr knows no java.time type and would write its getters. A record's properties are its components, in
 * declaration order.
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
            .register(new JacksonJrExtension() {
                @Override
                protected void register(ExtensionContext context) {
                    context.insertProvider(new InstantAsText());
                    context.insertModifier(new RecordComponentsAsProperties());
                }
            })
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

    /**
     * A record's properties are its components ({@link Class#getRecordComponents()}), in declaration order. jackson-jr
     * itself names them by its canonical constructor's parameter names, which a class file has only when compiled
     * with {@code javac -parameters} and loses when an agent retransforms the class (Jazzer, in the test JVM, does):
     * the parameters then read {@code arg0, arg1...}, every record field is unknown and the accessors become extra
     * properties out of step with the constructor's arguments. The components come from the class file's
     * {@code Record} attribute, which nothing drops.
     */
    private static final class RecordComponentsAsProperties extends ReaderWriterModifier {

        @Override
        public POJODefinition pojoDefinitionForDeserialization(JSONReader reader, Class<?> type) {
            return type.isRecord() ? definition(type) : null;
        }

        @Override
        public POJODefinition pojoDefinitionForSerialization(JSONWriter writer, Class<?> type) {
            return type.isRecord() ? definition(type) : null;
        }

        private static POJODefinition definition(Class<?> record) {
            RecordComponent[] components = record.getRecordComponents();
            POJODefinition.Prop[] properties = new POJODefinition.Prop[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                properties[i] = new POJODefinition.Prop(component.getName(), component.getName(), null, null,
                        component.getAccessor(), null, List.of());
                types[i] = component.getType();
            }
            Constructor<?> canonical;
            try {
                canonical = record.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("a record without its canonical constructor: " + record, e);
            }
            return new POJODefinition(record, properties, new BeanConstructors(record).addRecordConstructor(canonical));
        }
    }

    /** Reads and writes {@link Instant} as RFC 3339 text; other types are jackson-jr's. */
    private static final class InstantAsText extends ReaderWriterProvider {

        private static final ValueWriter WRITER = new ValueWriter() {
            @Override
            public void writeValue(JSONWriter context, JsonGenerator generator, Object value) {
                generator.writeString(value.toString());
            }

            @Override
            public Class<?> valueType() {
                return Instant.class;
            }
        };

        private static final ValueReader READER = new ValueReader(Instant.class) {
            @Override
            public Object read(JSONReader reader, JsonParser parser) {
                if (parser.hasToken(JsonToken.VALUE_NULL)) {
                    return null;
                }
                String text = parser.getValueAsString();
                DateTimeParseException invalid = null;
                if (text != null) {
                    try {
                        return Instant.parse(text);
                    } catch (DateTimeParseException e) {
                        invalid = e;
                    }
                }
                throw new StreamReadException(parser, "not an RFC 3339 instant: " + parser.getString(), invalid);
            }
        };

        @Override
        public ValueReader findValueReader(JSONReader reader, Class<?> type) {
            return type == Instant.class ? READER : null;
        }

        @Override
        public ValueWriter findValueWriter(JSONWriter writer, Class<?> type) {
            return type == Instant.class ? WRITER : null;
        }
    }
}
