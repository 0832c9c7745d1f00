package hongbao.app;

import hongbao.store.Store;
import hongbao.store.StoreSets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Derives each SET's journal into its tables, off the answers' path: one run derives everything pending, in one
 * transaction per SET, so a storm's entries are applied in batches of thousands rather than one open at a time.
 * Reads and direct writes catch up by themselves; this keeps the backlog (exported as a gauge) short between them.
 */
public final class JournalDerivation implements Runnable {
    public static final String BACKLOG = "hongbao.journal.backlog";

    private final StoreSets sets;

    public JournalDerivation(StoreSets sets, MeterRegistry registry) {
        this.sets = sets;
        for (int set = 0; set < sets.all().size(); set++) {
            Gauge.builder(BACKLOG, sets.set(set), Store::journalBacklog)
                    .description("acknowledged opens journaled and not yet derived into claims, wallets and packets")
                    .tags(Tags.of("set", Integer.toString(set))).register(registry);
        }
    }

    @Override
    public void run() {
        for (Store store : sets.all()) {
            store.deriveJournal();
        }
    }
}
