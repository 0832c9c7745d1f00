package hongbao.store.events;

import java.time.Instant;

/** A committed event: the {@code seq}-th of its SET's log. */
public record Event(int set, long seq, EventType type, Instant at, Long packetId, Audience audience, String dataJson) {

    public Event {
        if (seq < 1) {
            throw new IllegalArgumentException("event seq starts at 1: " + seq);
        }
    }

    /** Stable across retries, replays and nodes: the SET and its place in that SET's log. */
    public String id() {
        return id(set, seq);
    }

    public static String id(int set, long seq) {
        return "evt_" + set + "_" + seq;
    }
}
