package hongbao.app;

import hongbao.store.Store;
import hongbao.store.StoreSets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives each SET's journal into its tables, off the answers' path, on a thread of its own (a long derivation must
 * not hold up expiry or payments, nor they it). It derives in slices of about {@link hongbao.store.journal.SliceSize#TARGET}
 * each, one short transaction apiece, slice after slice while a SET has a full slice waiting, and every
 * {@link #INTERVAL} otherwise: a storm's entries are applied a thousand or more at a time, yet no transaction holds the
 * writer or a core for long. Reads and direct writes catch up by themselves; this keeps the backlog (exported as a
 * gauge) short between them.
 */
public final class JournalDerivation implements AutoCloseable {
    public static final String BACKLOG = "hongbao.journal.backlog";
    /**
     * Between passes when no SET has a full slice waiting: short enough that little waits for a read to catch up, long
     * enough that entries gather into slices of many (the cost is in the pages a slice dirties, which many share).
     */
    public static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Logger log = LoggerFactory.getLogger(JournalDerivation.class);

    private final StoreSets sets;
    private final ScheduledExecutorService thread;
    private volatile boolean closing;

    private JournalDerivation(StoreSets sets) {
        this.sets = sets;
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("journal-derivation").daemon().factory());
    }

    /** Starts deriving every {@link #INTERVAL}; registers the backlog gauge per SET when given a registry. */
    public static JournalDerivation start(StoreSets sets, MeterRegistry registry) {
        for (int set : sets.ownedSets()) {
            Gauge.builder(BACKLOG, sets.set(set), Store::journalBacklog)
                    .description("acknowledged opens journaled and not yet derived into claims, wallets and packets")
                    .tags(Tags.of("set", Integer.toString(set))).register(registry);
        }
        JournalDerivation derivation = new JournalDerivation(sets);
        derivation.thread.scheduleWithFixedDelay(derivation::deriveAll, INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return derivation;
    }

    /** Slice after slice while some SET has a full slice waiting (or until closing), one slice per SET in turn. */
    private void deriveAll() {
        boolean fullSliceWaiting = true;
        while (fullSliceWaiting && !closing) {
            fullSliceWaiting = false;
            for (Store store : sets.owned()) {
                fullSliceWaiting |= sliceLeftMore(store);
            }
        }
    }

    /** Derives one slice of the SET's journal; true if the slice was full (it left entries pending at its start). */
    private static boolean sliceLeftMore(Store store) {
        try {
            int pending = store.journalBacklog();
            int derived = store.deriveJournalSlice();
            return derived > 0 && derived < pending;
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; the next pass retries, and reads catch up meanwhile.
            log.error("deriving the journal failed; the next pass retries", e);
            return false;
        }
    }

    /** Stops after the pass in progress; what is left is derived by the next write, read or the store's close. */
    @Override
    public void close() {
        closing = true;
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
