package hongbao.app;

import hongbao.engine.PacketEngine;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    private static final int RECENT_REFUNDS_KEPT = 20;

    private final StoreSets sets;
    private final PacketEngine engine;
    private final Clock clock;
    private final RecentRefunds recentRefunds = new RecentRefunds(RECENT_REFUNDS_KEPT);

    public ExpiryJob(StoreSets sets, PacketEngine engine, Clock clock) {
        this.sets = sets;
        this.engine = engine;
        this.clock = clock;
    }

    /** @return how many packets were refunded in this pass */
    public int runOnce() {
        Set<Long> due = new LinkedHashSet<>();
        for (Store store : sets.owned()) {
            due.addAll(store.dueForExpiry(clock.instant(), SCAN_LIMIT));
        }
        due.addAll(engine.expiredInMemory());
        Map<Long, CompletableFuture<Boolean>> expiries = new LinkedHashMap<>();
        for (long packetId : due) {
            expiries.put(packetId, engine.expire(packetId));
        }
        List<Long> expiredNow = new ArrayList<>();
        expiries.forEach((packetId, expiry) -> {
            if (engine.join(expiry)) {
                expiredNow.add(packetId);
            }
        });
        remember(expiredNow);
        if (!expiredNow.isEmpty()) {
            log.info("expired {} packets and refunded their remainders", expiredNow.size());
        }
        return expiredNow.size();
    }

    /** The last refunds of this process, newest first (the operator page shows them). */
    public List<RecentRefunds.Refund> recentRefunds() {
        return recentRefunds.newestFirst();
    }

    /** Reads back what each expiry refunded: the engine answers only whether it expired the packet. */
    private void remember(List<Long> expiredNow) {
        for (long packetId : expiredNow) {
            sets.forPacket(packetId).packet(packetId).map(StoredPacket::packet).filter(p -> p.refunded() > 0).ifPresent(p ->
                    recentRefunds.add(new RecentRefunds.Refund(Long.toString(p.id()), p.senderId(), p.groupId(),
                            p.refunded(), clock.instant())));
        }
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
