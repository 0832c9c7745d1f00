package hongbao.app;

import hongbao.engine.PacketEngine;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds expired packets. Driven by durable state (active packets past expiry in the store), so a missed run
 * only delays a refund; the refund's transfer id makes a repeated one a no-op.
 */
public final class ExpiryJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ExpiryJob.class);
    private static final int SCAN_LIMIT = 1000;

    private final StoreSets sets;
    private final PacketEngine engine;
    private final Clock clock;

    public ExpiryJob(StoreSets sets, PacketEngine engine, Clock clock) {
        this.sets = sets;
        this.engine = engine;
        this.clock = clock;
    }

    /** @return how many packets were refunded in this pass */
    public int runOnce() {
        Set<Long> due = new LinkedHashSet<>();
        for (Store store : sets.all()) {
            due.addAll(store.dueForExpiry(clock.instant(), SCAN_LIMIT));
        }
        due.addAll(engine.expiredInMemory());
        List<CompletableFuture<Boolean>> expiries = new ArrayList<>(due.size());
        for (long packetId : due) {
            expiries.add(engine.expire(packetId));
        }
        int refunded = 0;
        for (CompletableFuture<Boolean> expiry : expiries) {
            if (PacketEngine.await(expiry)) {
                refunded++;
            }
        }
        if (refunded > 0) {
            log.info("expired {} packets and refunded their remainders", refunded);
        }
        return refunded;
    }

    @Override
    public void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; log it and let the next tick retry.
            log.error("expiry pass failed; the next pass retries", e);
        }
    }
}
