package hongbao.events;

import hongbao.store.events.Event;
import hongbao.store.events.EventLog;
import hongbao.store.StoreSets;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks to the host app (docs/events.md): for every endpoint and every SET this node owns, one thread walks the
 * SET's event log a page at a time and POSTs each event, signed, retrying with doubling waits until the receiver
 * answers 2xx or the event has been tried for {@link EventSettings#giveUpAfter}, when it becomes a dead letter. A
 * page's events go out on up to {@link #LANES} lanes at once, a packet's events all on one lane in the log's order
 * ({@link DeliveryLanes}), and the next page waits for the whole page. Delivered at least once: the cursor is saved
 * after the answers (a crash in between sends some again, under the same {@code Hongbao-Delivery} id). It reads the
 * log and writes its own rows only, so a receiver that fails forever costs the opens nothing.
 */
public final class WebhookDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final int BATCH = 200;
    /** Requests in flight at once per endpoint and SET: one receiver at ~10 ms an answer takes ~1,500 events/s. */
    private static final int LANES = 16;
    /** Events handed to the lanes and not yet delivered, at most: what a lane stuck on one packet lets the others run ahead. */
    private static final int WINDOW = 2_000;
    /** How often an idle loop looks for new events, and a loop of a SET owned elsewhere looks whether it is owned now. */
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration CURSOR_SAVE_EVERY = Duration.ofSeconds(1);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final EventSettings settings;
    private final StoreSets sets;
    private final Clock clock;
    private final MeterRegistry meters;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentMap<String, Long> rewinds = new ConcurrentHashMap<>();
    /** Per endpoint and SET, the events being retried and when each first failed. */
    private final ConcurrentMap<String, ConcurrentMap<Long, Instant>> retrying = new ConcurrentHashMap<>();
    private final Object wake = new Object();
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean closed;

    public WebhookDelivery(EventSettings settings, StoreSets sets, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.sets = sets;
        this.clock = clock;
        this.meters = meters;
        for (URI url : settings.webhookUrls()) {
            for (int set = 0; set < sets.layout().sets(); set++) {
                int index = set;
                loops.add(Thread.ofVirtual().name("webhook-" + set + "-" + url.getHost()).start(() -> run(url, index)));
            }
        }
    }

    public List<URI> endpoints() {
        return settings.webhookUrls();
    }

    /**
     * One endpoint's progress through one SET's log, the events it gave up on, and since when the oldest event being
     * retried has failed (null when nothing is failing).
     */
    public record Progress(String endpoint, int set, long deliveredThrough, long lastSeq, Instant failingSince,
            List<EventLog.DeadLetter> deadLetters) {
    }

    public List<Progress> progress(int deadLettersMax) {
        List<Progress> all = new ArrayList<>();
        for (URI url : settings.webhookUrls()) {
            for (int set = 0; set < sets.layout().sets(); set++) {
                EventLog events = sets.set(set).events();
                Instant failingSince = retrying.getOrDefault(key(url, set), new ConcurrentHashMap<>()).values().stream()
                        .min(Instant::compareTo).orElse(null);
                all.add(new Progress(url.toString(), set, events.deliveredThrough(url.toString()).orElse(0), events.lastSeq(),
                        failingSince, events.deadLetters(url.toString(), deadLettersMax)));
            }
        }
        return all;
    }

    /**
     * Delivers the endpoint's events again from this one on (its SET's log, in order), dead letters included; false if
     * the endpoint is not configured.
     */
    public boolean replay(URI url, int set, long fromSeq) {
        if (!settings.webhookUrls().contains(url) || set < 0 || set >= sets.layout().sets() || fromSeq < 1) {
            return false;
        }
        sets.set(set).events().forgetDeadLetters(url.toString(), fromSeq);
        rewinds.put(key(url, set), fromSeq - 1);
        wakeAll();
        return true;
    }

    private static String key(URI url, int set) {
        return set + " " + url;
    }

    private void run(URI url, int set) {
        boolean failing = false;
        while (!closed) {
            try {
                if (sets.ownership().owns(set)) {
                    serve(url, set);
                }
                failing = false;
                pause(IDLE_POLL);
            } catch (RuntimeException failure) {
                if (!failing) {
                    log.warn("webhook {} of SET {}: cannot read or record progress; retrying", url, set, failure);
                }
                failing = true;
                pause(FIRST_BACKOFF);
            }
        }
    }

    /** Walks the SET's log from the endpoint's cursor while this node owns the SET. */
    private void serve(URI url, int set) {
        String endpoint = url.toString();
        EventLog events = sets.set(set).events();
        OptionalLong recorded = events.deliveredThrough(endpoint);
        // A new endpoint starts with what happens from now on, not with the history the log still keeps.
        long through = recorded.isPresent() ? recorded.getAsLong() : events.lastSeq();
        if (recorded.isEmpty()) {
            events.setDeliveredThrough(endpoint, through);
        }
        while (!closed && sets.ownership().owns(set)) {
            Long rewind = rewinds.remove(key(url, set));
            if (rewind != null) {
                through = rewind;
                events.setDeliveredThrough(endpoint, through);
            }
            through = deliverFrom(url, set, through, events);
        }
    }

    /**
     * Delivers the log after {@code from} on the lanes until a replay, the close or the loss of the SET stops it;
     * returns what was delivered through, saved as the endpoint's cursor at least every second.
     */
    private long deliverFrom(URI url, int set, long from, EventLog events) {
        String endpoint = url.toString();
        long saved = from;
        long savedAt = System.nanoTime();
        long read = from;
        DeliveryLanes lanes = new DeliveryLanes(LANES, from, (event, stopped) -> deliver(url, event, events, stopped));
        try {
            while (!closed && !lanes.stopped() && !rewinds.containsKey(key(url, set)) && sets.ownership().owns(set)) {
                List<Event> page = lanes.inFlight() >= WINDOW ? List.of() : events.after(read, BATCH);
                for (Event event : page) {
                    lanes.dispatch(event, settings.webhookTypes().contains(event.type()));
                    read = event.seq();
                }
                long through = lanes.deliveredThrough();
                boolean due = Duration.ofNanos(System.nanoTime() - savedAt).compareTo(CURSOR_SAVE_EVERY) >= 0;
                if (through != saved && (due || page.size() < BATCH)) {
                    events.setDeliveredThrough(endpoint, through);
                    saved = through;
                    savedAt = System.nanoTime();
                }
                if (page.size() < BATCH) {
                    pause(IDLE_POLL);
                }
            }
        } finally {
            lanes.stop();
            wakeAll();
            lanes.close();
        }
        long through = lanes.deliveredThrough();
        if (through != saved) {
            events.setDeliveredThrough(endpoint, through);
        }
        return through;
    }

    /** True once the event is delivered or dead-lettered; false if delivery stopped first (it is sent again later). */
    private boolean deliver(URI url, Event event, EventLog events, BooleanSupplier stopped) {
        String body = EventJson.render(event);
        ConcurrentMap<Long, Instant> failing = retrying.computeIfAbsent(key(url, event.set()), k -> new ConcurrentHashMap<>());
        try {
            return deliverWithRetries(url, event, events, body, failing, stopped);
        } finally {
            failing.remove(event.seq());
        }
    }

    private boolean deliverWithRetries(URI url, Event event, EventLog events, String body, ConcurrentMap<Long, Instant> failing,
            BooleanSupplier stopped) {
        long firstTry = System.nanoTime();
        Duration wait = FIRST_BACKOFF.compareTo(settings.backoffMax()) < 0 ? FIRST_BACKOFF : settings.backoffMax();
        for (int attempt = 1; ; attempt++) {
            String failure = attempt(url, event, body);
            if (failure == null) {
                meters.counter("hongbao.webhook.delivered", "endpoint", url.toString()).increment();
                meters.timer("hongbao.webhook.lag", "endpoint", url.toString())
                        .record(Duration.between(event.at(), clock.instant()));
                return true;
            }
            meters.counter("hongbao.webhook.failed.attempts", "endpoint", url.toString()).increment();
            failing.putIfAbsent(event.seq(), clock.instant());
            if (Duration.ofNanos(System.nanoTime() - firstTry).compareTo(settings.giveUpAfter()) >= 0) {
                events.deadLetter(url.toString(), event.seq(), attempt, failure, clock.instant());
                meters.counter("hongbao.webhook.dead.letters", "endpoint", url.toString()).increment();
                log.warn("webhook {}: gave up on {} after {} attempts ({}); it is a dead letter", url, event.id(), attempt, failure);
                return true;
            }
            if (!pause(wait) || stopped.getAsBoolean()) {
                return false;
            }
            wait = wait.multipliedBy(2).compareTo(settings.backoffMax()) < 0 ? wait.multipliedBy(2) : settings.backoffMax();
        }
    }

    /** One POST; null if the receiver took it (2xx), else what went wrong. */
    private String attempt(URI url, Event event, String body) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header(WebhookSignature.EVENT_HEADER, event.type().wireName())
                .header(WebhookSignature.DELIVERY_HEADER, event.id())
                .header(WebhookSignature.HEADER, WebhookSignature.header(settings.webhookSecret(), clock.instant(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? null : "HTTP " + status;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Waits, at most {@code max}, for a replay or the close; false once closed. */
    private boolean pause(Duration max) {
        synchronized (wake) {
            if (!closed) {
                try {
                    wake.wait(Math.max(1, max.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
            return !closed;
        }
    }

    private void wakeAll() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        wakeAll();
        // Not interrupted: an interrupt would break a JDBC connection mid-statement. A request in flight is cut short.
        http.shutdownNow();
        for (Thread loop : loops) {
            try {
                loop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
