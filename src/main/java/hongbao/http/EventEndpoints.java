package hongbao.http;

import hongbao.app.UserEvents;
import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import hongbao.store.events.Event;
import hongbao.store.events.EventCursor;
import hongbao.events.EventFeed;
import hongbao.events.EventJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** GET /v1/events (catch-up) and GET /v1/events/stream (Server-Sent Events): a user's events, docs/events.md. */
final class EventEndpoints {
    /** A comment line this often keeps proxies from closing an idle stream, and finds clients that left. */
    static final Duration KEEPALIVE = Duration.ofSeconds(15);
    private static final int STREAM_PAGE = 100;

    private final Auth auth;
    private final UserEvents events;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final StreamSlots slots;

    EventEndpoints(Auth auth, UserEvents events, StreamSlots slots) {
        this.auth = auth;
        this.events = events;
        this.slots = slots;
    }

    Answer catchUp(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        int limit = exchange.intQuery("limit", 100, 1000);
        EventCursor after = exchange.query("after").map(events::resumable).orElseGet(events::beginning);
        EventFeed.Page page = events.read(userId, after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.events().stream().map(EventJson::raw).toList());
        body.put("next", page.next().toString());
        return Answer.json(200, body);
    }

    /**
     * Checks the caller and the resume point (Last-Event-ID, else {@code after}, else now) before anything is sent, so
     * a refusal is an ordinary JSON error; the returned stream then runs until the client leaves or the server stops.
     * Beyond the streams this node may hold, 503 UNAVAILABLE: the client retries later and polls meanwhile.
     */
    Stream openStream(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        EventCursor from = exchange.header("Last-Event-ID").or(() -> exchange.query("after")).map(events::resumable)
                .orElseGet(events::now);
        if (!slots.tryTake()) {
            throw new Rejection(ErrorCode.UNAVAILABLE, "this node holds as many event streams as it may ("
                    + slots.max() + "): retry later, and read GET /v1/events meanwhile");
        }
        return new Stream(userId, from);
    }

    /** Ends every stream, so that a stop does not wait for clients that never leave. */
    void stop() {
        stopping.set(true);
        events.wakeAll();
    }

    final class Stream {
        private final String userId;
        private EventCursor cursor;

        private Stream(String userId, EventCursor from) {
            this.userId = userId;
            this.cursor = from;
        }

        /** Runs the stream, then gives its slot back (taken when it was opened). */
        void run(ServerResponse response) {
            try {
                serve(response);
            } finally {
                slots.release();
            }
        }

        private void serve(ServerResponse response) {
            response.status(Status.OK_200)
                    .header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .header(HeaderNames.CACHE_CONTROL, "no-cache")
                    .header("X-Accel-Buffering", "no");
            UserEvents.Waiter waiter = events.register(userId);
            try (OutputStream out = response.outputStream()) {
                write(out, ": stream of " + userId + " from " + cursor + "\n\n");
                while (!stopping.get()) {
                    EventFeed.Page page = events.page(userId, cursor, STREAM_PAGE);
                    // Each frame's id resumes right after it; the last one's after everything the page looked at.
                    EventCursor resume = cursor;
                    List<Event> shown = page.events();
                    for (int i = 0; i < shown.size(); i++) {
                        resume = i == shown.size() - 1 ? page.next() : resume.past(shown.get(i));
                        write(out, frame(shown.get(i), resume));
                    }
                    boolean moved = !page.next().equals(cursor);
                    cursor = page.next();
                    if (moved) {
                        continue;
                    }
                    // Woken only by an event of this user (or the stop). Quiet for KEEPALIVE: none of the events
                    // announced before the wait is this user's, nor any announced since unless a wake came after the
                    // wait ended, so the stream moves past them unread (UserEvents.announced); a comment line.
                    EventCursor beforeWait = events.announced();
                    if (!waiter.await(KEEPALIVE) && !stopping.get()) {
                        EventCursor afterWait = events.announced();
                        cursor = cursor.atLeast(waiter.woken() ? beforeWait : afterWait);
                        write(out, ": keepalive\n\n");
                    }
                }
            } catch (IOException | UncheckedIOException clientLeft) {
                // The client closed the stream: nothing is owed to it, and it resumes with Last-Event-ID.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                events.unregister(userId, waiter);
            }
        }

    }

    private static String frame(Event event, EventCursor resumeAfter) {
        return "id: " + resumeAfter + "\nevent: " + event.type().wireName() + "\ndata: " + EventJson.render(event) + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
