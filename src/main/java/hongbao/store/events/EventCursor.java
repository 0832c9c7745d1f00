package hongbao.store.events;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a reader is in every SET's log: the last seq it has seen per SET. Written as the seqs joined by dots in SET
 * order ("12.0.5"); it is what {@code after=} takes and what the stream sends as each event's SSE id.
 */
public record EventCursor(long[] seqs) {

    public EventCursor {
        seqs = seqs.clone();
        for (long seq : seqs) {
            if (seq < 0) {
                throw new IllegalArgumentException("a cursor's seqs are at least 0");
            }
        }
    }

    public static EventCursor start(int sets) {
        return new EventCursor(new long[sets]);
    }

    /** Empty if the text is not a cursor of this many SETs. */
    public static java.util.Optional<EventCursor> parse(String text, int sets) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != sets) {
            return java.util.Optional.empty();
        }
        long[] seqs = new long[sets];
        for (int i = 0; i < sets; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 18 || !parts[i].chars().allMatch(Character::isDigit)) {
                return java.util.Optional.empty();
            }
            seqs[i] = Long.parseLong(parts[i]);
        }
        return java.util.Optional.of(new EventCursor(seqs));
    }

    @Override
    public long[] seqs() {
        return seqs.clone();
    }

    public int sets() {
        return seqs.length;
    }

    public long seq(int set) {
        return seqs[set];
    }

    /** True if the event is past this cursor (not seen yet). */
    public boolean before(Event event) {
        return event.seq() > seqs[event.set()];
    }

    /** This cursor moved past the event (never back). */
    public EventCursor past(Event event) {
        return with(event.set(), event.seq());
    }

    public EventCursor with(int set, long seq) {
        long[] next = seqs.clone();
        next[set] = Math.max(next[set], seq);
        return new EventCursor(next);
    }

    /** Per SET, the further of this cursor and {@code other} (never back). */
    public EventCursor atLeast(EventCursor other) {
        long[] next = seqs.clone();
        for (int set = 0; set < next.length; set++) {
            next[set] = Math.max(next[set], other.seq(set));
        }
        return new EventCursor(next);
    }

    @Override
    public String toString() {
        return Arrays.stream(seqs).mapToObj(Long::toString).collect(Collectors.joining("."));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventCursor cursor && Arrays.equals(seqs, cursor.seqs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(seqs);
    }
}
