package hongbao.logging;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import hongbao.store.sqlite.SqliteStore;
import hongbao.store.Store;
import hongbao.store.StoreException;
import hongbao.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failure that repeats (a full disk refusing every request) is logged with its stack trace once per window, then
 * counted in one line; another failure gets its own trace. The failures come from a real store that refuses every
 * write (closed under its users), logged the way the API logs a store failure.
 */
class RepeatedFailuresTest {
    private final AtomicLong nanos = new AtomicLong();
    private final LoggerContext context = new LoggerContext();
    private final RepeatedFailures filter = new RepeatedFailures(nanos::get);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger log = context.getLogger("hongbao.http.ApiServer");
    private Store failingStore;

    @BeforeEach
    void start() {
        filter.setContext(context);
        context.addTurboFilter(filter);
        captured.setContext(context);
        captured.start();
        log.addAppender(captured);
        failingStore = SqliteStore.open(TestServer.freshDir(), 1);
        failingStore.close();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private StoreException failedWrite() {
        return catchThrowableOfType(StoreException.class, () -> failingStore.write(tx -> tx.insertUser("alice", "Alice", java.time.Instant.EPOCH)));
    }

    /** The service's text log encoder (logback.xml). */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> textFormat() {
        LoggerContext service = (LoggerContext) LoggerFactory.getILoggerFactory();
        return ((OutputStreamAppender<ILoggingEvent>) service.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
                .getEncoder();
    }

    private List<ILoggingEvent> traces() {
        return captured.list.stream().filter(event -> event.getThrowableProxy() != null).toList();
    }

    private List<String> counts() {
        return captured.list.stream().filter(event -> event.getThrowableProxy() == null)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void identicalFailuresGiveOneTraceAndACount() {
        for (int packet = 0; packet < 1_000; packet++) {
            log.error("store failure on {} {}", "POST", "/v1/packets/" + packet + "/open", failedWrite());
        }

        filter.summariseEnded(true);

        long loggedBytes = captured.list.stream().mapToLong(event -> textFormat().encode(event).length).sum();
        System.out.printf("RepeatedFailuresTest: 1,000 identical store failures took %,d bytes of text log (one of"
                + " them alone: %,d)%n", loggedBytes, textFormat().encode(traces().get(0)).length);
        assertThat(traces()).hasSize(1);
        assertThat(counts()).singleElement().asString()
                .startsWith("the same failure 999 more times in the last 1 s: store failure on {} {} (")
                .contains(StoreException.class.getName());
    }

    @Test
    void aDifferentFailureGetsItsOwnTrace() {
        for (int i = 0; i < 10; i++) {
            log.error("store failure on {} {}", "POST", "/v1/packets/1/open", failedWrite());
            log.error("unexpected failure on {} {}", "POST", "/v1/packets/1/open", new IllegalStateException("a bug"));
            log.error("store failure on {} {}", "POST", "/v1/packets/1/open", new StoreException("disk I/O error", null));
        }

        filter.summariseEnded(true);

        assertThat(traces()).extracting(event -> event.getThrowableProxy().getMessage()).hasSize(3)
                .contains("a bug", "disk I/O error");
        assertThat(counts()).hasSize(3).allSatisfy(count -> assertThat(count).startsWith("the same failure 9 more times"));
    }

    @Test
    void aFailureThatGoesOnIsTracedAgainEachWindowWithTheLastWindowsCount() {
        for (int i = 0; i < 5; i++) {
            log.error("store failure on {} {}", "POST", "/v1/packets/1/open", failedWrite());
        }
        nanos.addAndGet(RepeatedFailures.WINDOW.plus(Duration.ofSeconds(1)).toNanos());

        log.error("store failure on {} {}", "POST", "/v1/packets/1/open", failedWrite());

        assertThat(traces()).hasSize(2);
        assertThat(counts()).singleElement().asString().startsWith("the same failure 4 more times in the last 11 s");
    }

    @Test
    void theServiceLogsThroughTheFilter() {
        LoggerContext service = (LoggerContext) LoggerFactory.getILoggerFactory();

        assertThat(service.getTurboFilterList()).hasAtLeastOneElementOfType(RepeatedFailures.class);
    }
}
