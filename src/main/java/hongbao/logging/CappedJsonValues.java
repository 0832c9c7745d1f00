package hongbao.logging;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/**
 * The JSON format's string values (logback-json.xml): JSON escapes control characters already, but leaves the line
 * separators (U+2028, U+2029) and bidi controls raw and values uncut; so each is neutralised as the text format's are
 * ({@link LogValues#neutralised}) and cut: the message to {@link LogValues#MESSAGE_MAX_CHARS}, every
 * other field (the access log's path, request id, ...) to {@link LogValues#VALUE_MAX_CHARS}. The stack trace is left
 * whole: it is many lines by design, and JSON keeps them inside one value.
 */
public final class CappedJsonValues implements ValueMasker {
    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (!(value instanceof String text) || "stack_trace".equals(context.getCurrentName())) {
            return null;
        }
        int maxChars = "message".equals(context.getCurrentName()) ? LogValues.MESSAGE_MAX_CHARS : LogValues.VALUE_MAX_CHARS;
        String neutralised = LogValues.neutralised(text, maxChars);
        return neutralised.equals(text) ? null : neutralised;
    }
}
