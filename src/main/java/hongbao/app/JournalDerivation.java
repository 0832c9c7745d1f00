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
 * not hold up expiry or payments, nor they it). One pass derives everything pending, in one transaction per SET, so a
 * storm's entries are applied thousands at a time rather than one open at a time. Reads and direct writes catch up by
 * themselves; this keeps the backlog (exported as a gauge) short between them.
 */
public final class JournalDerivation implements AutoCloseable {
    public static final String BACKLOG = "hongbao.journal.backlog";
    /**
     * Short enough that little waits for a read to catch up, long enough that a storm's entries are derived thousands
     * at a time (the cost is in the pages a derivation dirties, which many entries share, not in its rows).
     */
    public static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Logger log = LoggerFactory.getLogger(JournalDerivation.class);

    private final StoreSets sets;
    private final ScheduledExecutorService thread;

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

    private void deriveAll() {
        for (Store store : sets.owned()) {
            try {
                store.deriveJournal();
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again; the next pass retries, and reads catch up meanwhile.
                log.error("deriving the journal failed; the next pass retries", e);
            }
        }
    }

    /** Stops after the pass in progress; what is left is derived by the next write, read or the store's close. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
