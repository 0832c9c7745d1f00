package hongbao.store.journal;

import java.time.Duration;

/**
 * How many journal entries one derivation slice takes, so that a slice lasts about {@link #TARGET}: learned from the
 * full slices before it. A slice sized by time rather than by backlog never holds the writer (nor a core) for long,
 * however far behind derivation is, and still derives thousands of entries at a time when it runs fast.
 */
public final class SliceSize {
    /**
     * Short beside a direct write's or a read's patience (they wait for the slice in progress), long enough that a
     * slice's entries share the pages they dirty (a packet's row, index pages) and its commit.
     */
    public static final Duration TARGET = Duration.ofMillis(150);
    public static final int MAX_ENTRIES = 65_536;
    /** Fewer entries share too few pages: on a slow or busy machine, slices stay this large and last longer. */
    private static final int MIN_ENTRIES = 1_024;
    private static final int FIRST_ENTRIES = 2_048;

    private final int min;
    private final int max;
    private volatile int entries;

    /** @param max the most entries a slice takes ({@link #MAX_ENTRIES}; a simulation takes a few, to derive in parts) */
    public SliceSize(int max) {
        this.max = max;
        this.min = Math.min(MIN_ENTRIES, max);
        this.entries = Math.min(FIRST_ENTRIES, max);
    }

    /** The entries the next slice takes at most. */
    public int entries() {
        return entries;
    }

    /**
     * A slice of {@code derived} entries took {@code nanos}. Only a full slice says how fast entries derive (a short
     * one is mostly its fixed costs); the size moves halfway to what would have met the target, so one slow slice (a
     * pause, a busy disk) does not swing it.
     */
    public void took(int derived, long nanos) {
        int asked = entries;
        if (derived < asked || nanos <= 0) {
            return;
        }
        double fitting = (double) derived * TARGET.toNanos() / nanos;
        entries = (int) Math.clamp((asked + fitting) / 2, min, max);
    }
}
