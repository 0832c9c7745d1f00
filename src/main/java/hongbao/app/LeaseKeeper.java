package hongbao.app;

import hongbao.store.SetLease;
import hongbao.store.StoreSets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this node's SET leases every third of their lifetime. A lease found taken over means another node owns the
 * SET now: the fence already refuses this node's writes there, and {@code lost} is told so the process can stop.
 * A renewal that fails for want of the database is retried; if the lease expires meanwhile, a standby may take it,
 * which is then found at the next renewal.
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ScheduledExecutorService thread;

    private LeaseKeeper(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    public static LeaseKeeper start(StoreSets sets, Duration leaseTtl, IntConsumer lost) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("lease-keeper").daemon().factory());
        long period = Math.max(1, leaseTtl.toMillis() / 3);
        thread.scheduleWithFixedDelay(() -> {
            for (SetLease lease : sets.ownership().leases()) {
                renew(lease, lost);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return new LeaseKeeper(thread);
    }

    private static void renew(SetLease lease, IntConsumer lost) {
        try {
            if (!lease.renew()) {
                log.error("SET {} was taken over by another node (this node held epoch {}); its writes are fenced",
                        lease.set(), lease.epoch());
                lost.accept(lease.set());
            }
        } catch (RuntimeException e) {
            log.error("renewing the lease of SET {} failed; retrying", lease.set(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
