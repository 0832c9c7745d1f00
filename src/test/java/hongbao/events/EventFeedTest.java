package hongbao.events;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.store.events.Audience;
import hongbao.store.events.Event;
import hongbao.store.events.EventCursor;
import hongbao.store.events.EventLog;
import hongbao.store.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The node's feed reads the logs only while a stream follows it, and a stream that starts later misses nothing. */
class EventFeedTest {

    /** One SET's log in memory, counting the reads of new events. */
    private static final class MemoryLog implements EventLog {
        final List<Event> events = new ArrayList<>();
        int reads;

        void append(String receiverId) {
            events.add(new Event(0, events.size() + 1, EventType.DEPOSIT, Instant.EPOCH, null,
                    new Audience(null, receiverId, null), "{}"));
        }

        @Override
        public List<Event> after(long afterSeq, int limit) {
            reads++;
            return events.stream().filter(event -> event.seq() > afterSeq).limit(limit).toList();
        }

        @Override
        public void catchUp() {
        }

        @Override
        public long lastSeq() {
            return events.size();
        }

        @Override
        public long firstKeptSeq() {
            return events.isEmpty() ? 1 : events.getFirst().seq();
        }

        @Override
        public int trim(Instant before, long throughSeq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OptionalLong deliveredThrough(String endpoint) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setDeliveredThrough(String endpoint, long seq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deadLetter(String endpoint, long seq, int attempts, String lastError, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DeadLetter> deadLetters(String endpoint, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forgetDeadLetters(String endpoint, long fromSeq) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void readsNothingWhileNoStreamFollowsAndServesTheFirstFollowerEverything() {
        MemoryLog log = new MemoryLog();
        EventFeed feed = new EventFeed(List.of(log), Duration.ofMillis(100), 10);
        List<Event> arrived = new ArrayList<>();
        feed.onArrival(arrived::addAll);
        log.append("alice");
        EventCursor before = feed.head();
        log.append("bob");

        feed.pollOnce(new boolean[1]);
        assertThat(log.reads).as("polls with nobody following").isZero();
        assertThat(arrived).isEmpty();

        feed.follow();
        log.append("carol");
        feed.pollOnce(new boolean[1]);
        assertThat(arrived).extracting(event -> event.audience().receiverId()).containsExactly("carol");
        // A stream that started before the feed followed reads what it missed from the log, then memory.
        assertThat(feed.page(before, event -> true, 10).events()).extracting(Event::seq).containsExactly(2L, 3L);

        feed.unfollow();
        int readsWhenLeft = log.reads;
        log.append("dave");
        feed.pollOnce(new boolean[1]);
        assertThat(log.reads).isEqualTo(readsWhenLeft);
        assertThat(feed.head().seq(0)).as("the head is read from the log while nobody follows").isEqualTo(4);
    }

    /**
     * A quiet stream moves past what was announced without reading it, so the announced cursor must never pass an
     * event whose wake-ups are still to come: while the listener is being told, the feed's memory has the events
     * (a woken stream pages them) but the announced cursor is still before them.
     */
    @Test
    void eventsAreAnnouncedOnlyOnceTheListenerWasToldOfThem() {
        MemoryLog log = new MemoryLog();
        EventFeed feed = new EventFeed(List.of(log), Duration.ofMillis(100), 10);
        log.append("alice");
        feed.follow();
        assertThat(feed.announced().seq(0)).as("the first follower starts at the log's head").isEqualTo(1);

        List<Long> announcedWhileTold = new ArrayList<>();
        List<Long> pagedWhileTold = new ArrayList<>();
        feed.onArrival(arrived -> {
            announcedWhileTold.add(feed.announced().seq(0));
            pagedWhileTold.add(feed.page(new EventCursor(new long[] {1}), event -> true, 10).next().seq(0));
        });
        log.append("bob");
        log.append("carol");
        feed.pollOnce(new boolean[1]);

        assertThat(announcedWhileTold).containsExactly(1L);
        assertThat(pagedWhileTold).containsExactly(3L);
        assertThat(feed.announced().seq(0)).isEqualTo(3);
    }
}
