package hongbao.app;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import hongbao.store.events.Event;
import hongbao.store.events.EventCursor;
import hongbao.events.EventFeed;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The events a user may see (docs/events.md): those of their packets, of their wallet, and of the groups they are a
 * member of at the moment the event is read, so a user who left a group sees nothing more of it.
 */
public final class UserEvents {
    private final EventFeed feed;
    private final Directory directory;

    /** The streams waiting for their user's next event, by user. */
    private final ConcurrentMap<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    public UserEvents(EventFeed feed, Directory directory) {
        this.feed = feed;
        this.directory = directory;
        feed.onArrival(this::wakeConcerned);
    }

    /**
     * One stream's wait for the next event that concerns its user: woken only by those, so that any number of idle
     * streams cost nothing per event. A wake before the wait is kept, so an event between a read and a wait is not lost.
     */
    public static final class Waiter {
        private boolean woken;

        private synchronized void wake() {
            woken = true;
            notifyAll();
        }

        /** Whether a wake came since the last {@link #await} that returned true, without taking it. */
        public synchronized boolean woken() {
            return woken;
        }

        /** True if woken since the last call (or within {@code max}); false when {@code max} passed quietly. */
        public synchronized boolean await(Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (!woken) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            woken = false;
            return true;
        }
    }

    /** A stream starts waiting for its user's events; the feed follows the logs while any stream is registered. */
    public Waiter register(String userId) {
        feed.follow();
        Waiter waiter = new Waiter();
        waiting.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
        return waiter;
    }

    public void unregister(String userId, Waiter waiter) {
        waiting.computeIfPresent(userId, (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
        feed.unfollow();
    }

    /** Wakes every waiting stream (the server is stopping). */
    public void wakeAll() {
        waiting.values().forEach(waiters -> waiters.forEach(Waiter::wake));
    }

    /** Wakes the streams of the events' sender, receiver and group members; of a group, whichever side is smaller. */
    private void wakeConcerned(List<Event> arrived) {
        for (Event event : arrived) {
            wake(event.audience().senderId());
            wake(event.audience().receiverId());
            String groupId = event.audience().groupId();
            if (groupId != null) {
                Set<String> members = directory.memberIds(groupId);
                if (members.size() < waiting.size()) {
                    members.forEach(this::wake);
                } else {
                    waiting.keySet().stream().filter(members::contains).forEach(this::wake);
                }
            }
        }
    }

    private void wake(String userId) {
        if (userId != null) {
            Set<Waiter> waiters = waiting.get(userId);
            if (waiters != null) {
                waiters.forEach(Waiter::wake);
            }
        }
    }

    /**
     * Every event up to here has had its wake-ups. A stream whose wait ended quietly may move past, unread, this cursor
     * as read before the wait (a wake for any of those events of its user would have ended the wait), or as read after
     * the wait if its waiter is still not {@link Waiter#woken} then (a wake for them came before that read). So an idle
     * stream never looks at other users' events, which 10,000 idle streams did at each keepalive (BENCHMARKS.md).
     */
    public EventCursor announced() {
        return feed.announced();
    }

    /** A stream's next page: from the events this node keeps in memory, as recent as its last poll. */
    public EventFeed.Page page(String userId, EventCursor after, int limit) {
        return feed.page(after, event -> visibleTo(userId, event), limit);
    }

    /** A catch-up page, read from the logs: it includes every change acknowledged before it was asked. */
    public EventFeed.Page read(String userId, EventCursor after, int limit) {
        return feed.read(after, event -> visibleTo(userId, event), limit);
    }

    public boolean visibleTo(String userId, Event event) {
        return event.audience().includes(userId, directory::isMember);
    }

    /** A cursor as given back by a page or a stream; refused if it is not one of this deployment's. */
    public EventCursor cursor(String text) {
        return EventCursor.parse(text, feed.sets()).orElseThrow(() -> new Rejection(ErrorCode.INVALID_REQUEST,
                "a cursor is the \"next\" of an events page or the id of a streamed event: " + feed.sets()
                        + " numbers joined by dots"));
    }

    /**
     * A cursor a client resumes from: refused with EVENTS_TRIMMED, naming where the logs now begin, if events after
     * it were trimmed (resuming would skip them without a word).
     */
    public EventCursor resumable(String text) {
        EventCursor cursor = cursor(text);
        EventCursor oldest = feed.oldestKept();
        for (int set = 0; set < cursor.sets(); set++) {
            if (cursor.seq(set) < oldest.seq(set)) {
                throw new Rejection(ErrorCode.EVENTS_TRIMMED, "events after this cursor were trimmed (kept "
                        + "HONGBAO_EVENT_RETENTION_HOURS); reload what the client shows, then read from \"oldest\"",
                        java.util.Map.of("oldest", oldestFrom(cursor, oldest).toString()));
            }
        }
        return cursor;
    }

    /** Per SET, the later of the two: where the logs begin, or where the client already is. */
    private static EventCursor oldestFrom(EventCursor cursor, EventCursor oldest) {
        EventCursor from = cursor;
        for (int set = 0; set < cursor.sets(); set++) {
            from = from.with(set, oldest.seq(set));
        }
        return from;
    }

    /** The start of every log: a reader from here sees every event still kept. */
    public EventCursor beginning() {
        return EventCursor.start(feed.sets());
    }

    /** Where the logs are now. */
    public EventCursor now() {
        return feed.head();
    }
}
