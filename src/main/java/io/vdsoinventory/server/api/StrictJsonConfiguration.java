package io.vdsoinventory.server.api;

import java.time.Instant;
import java.util.function.Consumer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read as typed, not as Jackson would coerce them: a number is not an enum's position
 * ({@code {"role":1}} was an ADMIN token), {@code 1.5} is no integer, a number or boolean is no text and text is
 * no number, an instant is RFC 3339 text (not epoch seconds). No text may hold NUL (U+0000), which PostgreSQL refuses in {@code text}: the request is answered 400
 * naming the field before anything is written.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    static final String NUL_MESSAGE = "contains a NUL character (U+0000), which no text may hold";

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Textual, refuse(CoercionInputShape.Integer, CoercionInputShape.Float,
                        CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Integer, refuse(CoercionInputShape.String, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Float, refuse(CoercionInputShape.String, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Boolean, refuse(CoercionInputShape.String, CoercionInputShape.Integer))
                .withCoercionConfig(LogicalType.Enum, refuse(CoercionInputShape.Integer))
                .addModule(new SimpleModule("text-without-nul")
                        .addDeserializer(String.class, new TextWithoutNul())
                        .addKeyDeserializer(String.class, new KeyWithoutNul())
                        .addDeserializer(Instant.class, new InstantAsText()));
    }

    private static Consumer<MutableCoercionConfig> refuse(CoercionInputShape... shapes) {
        return config -> {
            for (CoercionInputShape shape : shapes) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        };
    }

    /** Text values: as Jackson reads them, refused when they hold NUL. */
    static final class TextWithoutNul extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = super.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                throw InvalidFormatException.from(parser, NUL_MESSAGE, value, String.class);
            }
            return value;
        }
    }

    /** Instants as RFC 3339 text only: Jackson would take a bare number for epoch seconds. */
    static final class InstantAsText extends ValueDeserializer<Instant> {

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    /** Object keys (labels): refused when they hold NUL. */
    static final class KeyWithoutNul extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) {
            if (key.indexOf('\0') >= 0) {
                throw InvalidFormatException.from(context.getParser(), NUL_MESSAGE, key, String.class);
            }
            return key;
        }
    }
}
