package hongbao.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.helpers.MessageFormatter;

/**
 * The text format's message ({@code %msg} in logback.xml): each argument neutralised and cut to
 * {@link LogValues#VALUE_MAX_CHARS} before it is put in the message, and the message as a whole (a library's
 * pre-formatted one included) neutralised and cut to {@link LogValues#MESSAGE_MAX_CHARS}. A newline sent by a client
 * can then never start a log line of its own.
 */
public final class NeutralisedMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        String message;
        if (arguments == null || arguments.length == 0) {
            message = event.getFormattedMessage();
        } else {
            Object[] neutralised = new Object[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                // Rendered as SLF4J renders it (arrays included), then neutralised; a trailing exception is not an
                // argument but the event's throwable, printed by NeutralisedThrowableConverter.
                neutralised[i] = arguments[i] instanceof Throwable ? arguments[i]
                        : LogValues.neutralised(MessageFormatter.format("{}", arguments[i]).getMessage(),
                                LogValues.VALUE_MAX_CHARS);
            }
            message = MessageFormatter.arrayFormat(event.getMessage(), neutralised).getMessage();
        }
        return LogValues.neutralised(message, LogValues.MESSAGE_MAX_CHARS);
    }
}
