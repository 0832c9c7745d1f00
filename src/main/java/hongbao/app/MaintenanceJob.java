package hongbao.app;

import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the store's periodic upkeep (day partitions ahead on PostgreSQL). */
public final class MaintenanceJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(MaintenanceJob.class);

    private final StoreSets sets;
    private final Clock clock;

    public MaintenanceJob(StoreSets sets, Clock clock) {
        this.sets = sets;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            for (Store store : sets.owned()) {
                store.maintain(clock.instant());
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; the next hour retries, and days of slack remain.
            log.error("store maintenance failed; retrying next hour", e);
        }
    }
}
