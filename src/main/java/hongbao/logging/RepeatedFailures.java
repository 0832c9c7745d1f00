package hongbao.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Marker;

/**
 * Keeps a failure that repeats from filling the disk with stack traces (a full disk refused every request, each logged
 * with its trace: 130 MB in 30 s, on the same disk). The first failure of a kind in a {@link #WINDOW} is logged whole;
 * the others of that window are counted, and the count is logged as one line when the window is over (at the next
 * failure of the kind, or by a timer if none comes). A kind is the logger, level and message template with the
 * exception's class, message (numbers aside) and throwing frame, causes included: the same refusal on another packet is
 * the same kind, another failure is not. Only WARN and ERROR events that carry an exception are counted.
 * Configured in logback-levels.xml, for both log formats.
 */
public final class RepeatedFailures extends TurboFilter {
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Kinds followed at once; past that a new kind is logged whole every time, as without this filter. */
    static final int KINDS_MAX = 1_000;
    private static final int CAUSES_MAX = 8;
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final Map<Kind, Window> windows = new HashMap<>();
    private final LongSupplier nanoTime;
    private ScheduledExecutorService timer;

    /** As Logback makes it from logback-levels.xml. */
    public RepeatedFailures() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock of the windows (a test's own) */
    RepeatedFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    private record Kind(Logger logger, Level level, String template, String exception) {
    }

    private static final class Window {
        long startedNanos;
        long repeats;
        final String firstLine;

        Window(long startedNanos, String firstLine) {
            this.startedNanos = startedNanos;
            this.firstLine = firstLine;
        }
    }

    private record Summary(Kind kind, long repeats, long seconds, String firstLine) {
        void log() {
            kind.logger().log(null, RepeatedFailures.class.getName(), Level.toLocationAwareLoggerInteger(kind.level()),
                    "the same failure {} more times in the last {} s: {}",
                    new Object[] {String.format("%,d", repeats), seconds, firstLine}, null);
        }
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("repeated-failures").factory());
        timer.scheduleAtFixedRate(() -> summariseEnded(false), WINDOW.toMillis(), WINDOW.toMillis(), TimeUnit.MILLISECONDS);
        super.start();
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        summariseEnded(true);
        super.stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String template, Object[] arguments,
            Throwable thrown) {
        Throwable failure = thrown != null ? thrown : trailingThrowable(arguments);
        if (failure == null || !level.isGreaterOrEqual(Level.WARN) || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        Kind kind = new Kind(logger, level, template, signature(failure));
        long now = nanoTime.getAsLong();
        Summary ended = null;
        synchronized (windows) {
            Window window = windows.get(kind);
            if (window == null) {
                if (windows.size() < KINDS_MAX) {
                    windows.put(kind, new Window(now, template + " (" + failure + ")"));
                }
                return FilterReply.NEUTRAL;
            }
            if (now - window.startedNanos < WINDOW.toNanos()) {
                window.repeats++;
                return FilterReply.DENY;
            }
            if (window.repeats > 0) {
                ended = new Summary(kind, window.repeats, seconds(now - window.startedNanos), window.firstLine);
            }
            window.startedNanos = now;
            window.repeats = 0;
        }
        if (ended != null) {
            ended.log();
        }
        return FilterReply.NEUTRAL;
    }

    /**
     * Logs the count of each kind whose window is over ({@code all}: of every kind, as at shutdown) and forgets the
     * kind, so that its next failure is logged whole.
     */
    void summariseEnded(boolean all) {
        long now = nanoTime.getAsLong();
        List<Summary> ended = new ArrayList<>();
        synchronized (windows) {
            for (Iterator<Map.Entry<Kind, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Kind, Window> entry = it.next();
                Window window = entry.getValue();
                if (all || now - window.startedNanos >= WINDOW.toNanos()) {
                    if (window.repeats > 0) {
                        ended.add(new Summary(entry.getKey(), window.repeats, seconds(now - window.startedNanos),
                                window.firstLine));
                    }
                    it.remove();
                }
            }
        }
        ended.forEach(Summary::log);
    }

    private static long seconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos));
    }

    private static Throwable trailingThrowable(Object[] arguments) {
        return arguments != null && arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable last
                ? last : null;
    }

    private static String signature(Throwable failure) {
        StringBuilder signature = new StringBuilder();
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < CAUSES_MAX; depth++, cause = cause.getCause()) {
            signature.append(cause.getClass().getName()).append(": ")
                    .append(cause.getMessage() == null ? "" : NUMBER.matcher(cause.getMessage()).replaceAll("#"));
            StackTraceElement[] frames = cause.getStackTrace();
            signature.append(" at ").append(frames.length == 0 ? "?" : frames[0]).append('\n');
        }
        return signature.toString();
    }
}
