package hongbao.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * The text format's exceptions ({@code %nEx} in logback.xml): the stack trace as Logback prints it, but each
 * exception's message (causes and suppressed ones included) neutralised and cut like a log message, since an
 * exception's message may quote what a client sent.
 */
public final class NeutralisedThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy thrown) {
        return super.throwableProxyToString(new Neutralised(thrown));
    }

    private record Neutralised(IThrowableProxy thrown) implements IThrowableProxy {
        @Override
        public String getMessage() {
            String message = thrown.getMessage();
            return message == null ? null : LogValues.neutralised(message, LogValues.MESSAGE_MAX_CHARS);
        }

        @Override
        public String getOverridingMessage() {
            String message = thrown.getOverridingMessage();
            return message == null ? null : LogValues.neutralised(message, LogValues.MESSAGE_MAX_CHARS);
        }

        @Override
        public String getClassName() {
            return thrown.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return thrown.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return thrown.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return thrown.getCause() == null ? null : new Neutralised(thrown.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = thrown.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] neutralised = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                neutralised[i] = new Neutralised(suppressed[i]);
            }
            return neutralised;
        }

        @Override
        public boolean isCyclic() {
            return thrown.isCyclic();
        }
    }
}
