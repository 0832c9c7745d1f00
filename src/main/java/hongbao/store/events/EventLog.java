package hongbao.store.events;

import hongbao.store.events.Event;
import java.time.Instant;
import java.util.List;

/** One SET's event log (docs/events.md) and its webhook endpoints' progress through it. */
public interface EventLog {

    /**
     * The SET's events after {@code afterSeq}, in the SET's order, at most {@code limit}: those derived so far (the
     * events of opens still in the journal come with their derivation, every 50 ms or sooner).
     */
    List<Event> after(long afterSeq, int limit);

    /** Derives what the journal holds (on the SET's owner), so that the next read has every acknowledged open's event. */
    void catchUp();

    /** The newest event's seq, 0 if none was ever recorded. */
    long lastSeq();

    /** The oldest event's seq still kept; one past {@link #lastSeq} when trimming left none. */
    long firstKeptSeq();

    /**
     * Deletes, oldest first, events recorded before {@code before} with seq at most {@code throughSeq} (what every
     * webhook endpoint has been served); returns how many.
     */
    int trim(Instant before, long throughSeq);

    /** How far the endpoint has been served from this SET's log; empty before it is first recorded. */
    java.util.OptionalLong deliveredThrough(String endpoint);

    /** Moves the endpoint's cursor to {@code seq}, forwards or (to replay) back. */
    void setDeliveredThrough(String endpoint, long seq);

    /** Records that the endpoint gave up on an event after {@code attempts} tries. */
    void deadLetter(String endpoint, long seq, int attempts, String lastError, Instant at);

    /** The endpoint's dead letters in this SET, oldest first. */
    List<DeadLetter> deadLetters(String endpoint, int limit);

    /** Removes the endpoint's dead letters from {@code fromSeq} on (they are being replayed). */
    void forgetDeadLetters(String endpoint, long fromSeq);

    record DeadLetter(String endpoint, long seq, int attempts, String lastError, Instant at) {
    }
}
