package hongbao.events;

import hongbao.store.events.Events;
import hongbao.store.events.EventCursor;
import hongbao.store.events.Event;
import hongbao.store.events.EventLog;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every SET's event log as this node sees it, for the clients' catch-up and stream. While at least one stream follows
 * it, one thread polls each SET's log (through the store's handle of that SET, owned here or not) and keeps its newest
 * events in memory, so that any number of streams waiting on this node cost one read per SET per poll; a reader
 * further behind than memory reaches reads the SET's log itself. With no stream it reads nothing: a node serving
 * only opens pays nothing for it.
 */
public final class EventFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
    /** Events read from one SET's log per poll or per page of a reader behind memory. */
    static final int READ_MAX = 1_000;

    private final List<EventLog> logs;
    private final Duration pollInterval;
    private final int keptPerSet;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile java.util.function.Consumer<List<Event>> arrival = events -> { };
    private final List<ArrayDeque<Event>> recent = new ArrayList<>();
    /** Per SET, the newest seq read from its log: {@link #recent} holds a contiguous run ending there. */
    private final long[] heads;
    /**
     * Per SET, the newest seq whose arrival the listener has been told of (or where the first follower brought the
     * memory to): at most {@link #heads}, which move before the listener is told.
     */
    private final long[] announced;
    /** Streams following the feed; the poller reads the logs only while there is one. */
    private int followers;
    private final java.util.concurrent.locks.Condition followed = lock.newCondition();
    private Thread poller;
    private volatile boolean closed;

    /** A page of events for one reader, and where that reader is after it. */
    public record Page(List<Event> events, EventCursor next) {
    }

    /** @param keptPerSet how many of each SET's newest events stay in memory */
    EventFeed(List<EventLog> logs, Duration pollInterval, int keptPerSet) {
        this.logs = List.copyOf(logs);
        this.pollInterval = pollInterval;
        this.keptPerSet = keptPerSet;
        this.heads = new long[logs.size()];
        this.announced = new long[logs.size()];
        for (int set = 0; set < logs.size(); set++) {
            recent.add(new ArrayDeque<>());
        }
    }

    /** A feed with its poller running. */
    public static EventFeed start(List<EventLog> logs, Duration pollInterval, int keptPerSet) {
        EventFeed feed = new EventFeed(logs, pollInterval, keptPerSet);
        feed.poller = Thread.ofPlatform().daemon().name("event-feed").start(feed::pollUntilClosed);
        return feed;
    }

    /**
     * A stream starts following: the first one brings the memory up to the logs' heads (what happened while nobody
     * followed is read from the logs by whoever needs it), and polling starts.
     */
    public void follow() {
        lock.lock();
        try {
            if (followers++ == 0) {
                for (int set = 0; set < logs.size(); set++) {
                    heads[set] = logs.get(set).lastSeq();
                    announced[set] = heads[set];
                    recent.get(set).clear();
                }
                followed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public void unfollow() {
        lock.lock();
        try {
            followers--;
        } finally {
            lock.unlock();
        }
    }

    /** Told of the events each poll brings, after they are in memory (so a page read on hearing of them has them). */
    public void onArrival(java.util.function.Consumer<List<Event>> listener) {
        this.arrival = listener;
    }

    public int sets() {
        return logs.size();
    }

    /**
     * The cursor the logs can still be read from without a gap: per SET, the event before the oldest one kept. A
     * reader behind it (at a smaller seq) has lost events to trimming.
     */
    public EventCursor oldestKept() {
        return new EventCursor(logs.stream().mapToLong(log -> log.firstKeptSeq() - 1).toArray());
    }

    /** Where the logs are now: a stream that starts here sees what happens from now on. */
    public EventCursor head() {
        lock.lock();
        try {
            if (followers > 0) {
                return new EventCursor(heads);
            }
        } finally {
            lock.unlock();
        }
        return new EventCursor(logs.stream().mapToLong(EventLog::lastSeq).toArray());
    }

    /**
     * The events after the cursor that pass {@code visible}, at most {@code limit}, ordered by time; the next cursor
     * is past every event looked at, shown or not, so a reader never looks at one twice.
     */
    public Page page(EventCursor after, Predicate<Event> visible, int limit) {
        return page(after, visible, limit, false);
    }

    /**
     * As {@link #page}, read from the logs themselves: exact as of now (an acknowledged open's event included), for a
     * catch-up, where the memory this node keeps lags the logs by a poll.
     */
    public Page read(EventCursor after, Predicate<Event> visible, int limit) {
        return page(after, visible, limit, true);
    }

    private Page page(EventCursor after, Predicate<Event> visible, int limit, boolean fromLogs) {
        List<List<Event>> shownPerSet = new ArrayList<>();
        int shownCount = 0;
        EventCursor next = after;
        for (int set = 0; set < logs.size(); set++) {
            List<Event> shown = new ArrayList<>();
            List<Event> unseen = shownCount == limit ? List.of()
                    : fromLogs ? caughtUp(set).after(after.seq(set), READ_MAX) : unseen(set, after.seq(set));
            for (Event event : unseen) {
                if (visible.test(event)) {
                    if (shownCount == limit) {
                        break;
                    }
                    shown.add(event);
                    shownCount++;
                }
                next = next.past(event);
            }
            shownPerSet.add(shown);
        }
        return new Page(mergedByTime(shownPerSet), next);
    }

    /** The SETs' events interleaved by time, each SET's kept in its own order (so a packet's events stay in order). */
    private static List<Event> mergedByTime(List<List<Event>> perSet) {
        List<Event> merged = new ArrayList<>();
        int[] taken = new int[perSet.size()];
        while (true) {
            int earliest = -1;
            for (int set = 0; set < perSet.size(); set++) {
                if (taken[set] < perSet.get(set).size() && (earliest < 0
                        || perSet.get(set).get(taken[set]).at().isBefore(perSet.get(earliest).get(taken[earliest]).at()))) {
                    earliest = set;
                }
            }
            if (earliest < 0) {
                return List.copyOf(merged);
            }
            merged.add(perSet.get(earliest).get(taken[earliest]++));
        }
    }

    private EventLog caughtUp(int set) {
        EventLog log = logs.get(set);
        log.catchUp();
        return log;
    }

    /**
     * Every event up to here has been told to the arrival listener (the streams' wake-ups). A stream that was not woken
     * while it waited, from a moment it read this cursor on, may move past it without reading: none of those events
     * concerns its user, or it would have been woken (docs/events.md, "Idle streams").
     */
    public EventCursor announced() {
        lock.lock();
        try {
            return new EventCursor(announced);
        } finally {
            lock.unlock();
        }
    }

    /** From memory when it holds everything after {@code afterSeq}; otherwise a page of the SET's log. */
    private List<Event> unseen(int set, long afterSeq) {
        lock.lock();
        try {
            ArrayDeque<Event> kept = recent.get(set);
            long firstKept = kept.isEmpty() ? heads[set] + 1 : kept.getFirst().seq();
            if (afterSeq >= firstKept - 1 && afterSeq <= heads[set]) {
                // The newest first, back to the reader's cursor: a reader near the head (every stream but one
                // far behind) costs what it reads, not the whole memory, while it holds the lock.
                List<Event> newer = new ArrayList<>();
                for (java.util.Iterator<Event> newestFirst = kept.descendingIterator(); newestFirst.hasNext(); ) {
                    Event event = newestFirst.next();
                    if (event.seq() <= afterSeq) {
                        break;
                    }
                    newer.add(event);
                }
                return newer.reversed();
            }
        } finally {
            lock.unlock();
        }
        return logs.get(set).after(afterSeq, READ_MAX);
    }

    private void pollUntilClosed() {
        boolean[] failing = new boolean[logs.size()];
        while (!closed) {
            pollOnce(failing);
            lock.lock();
            try {
                // Woken early by the first follower, so that its stream is served from the next poll on.
                followed.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** One poll of every SET's log, if a stream follows; {@code failing} keeps a failing SET to one warning. */
    void pollOnce(boolean[] failing) {
        for (int set = 0; set < logs.size() && following(); set++) {
            try {
                poll(set);
                failing[set] = false;
            } catch (RuntimeException failure) {
                if (!failing[set]) {
                    log.warn("cannot read the event log of SET {}; retrying every {} ms", set, pollInterval.toMillis(), failure);
                }
                failing[set] = true;
            }
        }
    }

    private boolean following() {
        lock.lock();
        try {
            return followers > 0;
        } finally {
            lock.unlock();
        }
    }

    private long head(int set) {
        lock.lock();
        try {
            return heads[set];
        } finally {
            lock.unlock();
        }
    }

    private void poll(int set) {
        List<Event> fresh;
        do {
            long from = head(set);
            fresh = logs.get(set).after(from, READ_MAX);
            if (fresh.isEmpty()) {
                return;
            }
            lock.lock();
            try {
                if (heads[set] != from) {
                    return; // the memory was brought up to the log's head meanwhile (a first follower)
                }
                ArrayDeque<Event> kept = recent.get(set);
                kept.addAll(fresh);
                while (kept.size() > keptPerSet) {
                    kept.removeFirst();
                }
                heads[set] = fresh.getLast().seq();
            } finally {
                lock.unlock();
            }
            arrival.accept(fresh);
            lock.lock();
            try {
                announced[set] = Math.max(announced[set], Math.min(heads[set], fresh.getLast().seq()));
            } finally {
                lock.unlock();
            }
        } while (fresh.size() == READ_MAX);
    }

    @Override
    public void close() {
        closed = true;
        if (poller == null) {
            return;
        }
        poller.interrupt();
        try {
            poller.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
