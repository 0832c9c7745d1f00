package hongbao.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;

/**
 * The one JSON mapper, strict on input: unknown fields, duplicate keys, trailing data, fractions for integers and
 * any coercion between strings, numbers and booleans are all 400 INVALID_REQUEST.
 */
public final class Json {
    public static final ObjectMapper MAPPER = strictMapper();

    private Json() {
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Boolean,
                LogicalType.Float, LogicalType.Enum, LogicalType.Collection}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return mapper;
    }

    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "a JSON body is required");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException unknown) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "unknown field \"" + unknown.getPropertyName() + "\"");
        } catch (MismatchedInputException mismatch) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, mismatchMessage(mismatch));
        } catch (InputCoercionException outOfRange) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "a number is out of range");
        } catch (JsonProcessingException malformed) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "malformed JSON" + location(malformed));
        } catch (java.io.IOException e) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "unreadable body");
        }
    }

    /** Names the field without Jackson's internals (class names, feature flags) in the message. */
    private static String mismatchMessage(MismatchedInputException mismatch) {
        String field = mismatch.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining("."));
        if (!field.isEmpty()) {
            return "field \"" + field + "\" has the wrong type or value";
        }
        return mismatch.getMessage() != null && mismatch.getMessage().contains("Trailing token")
                ? "unexpected data after the JSON object" : "the body must be a JSON object of the documented shape";
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
