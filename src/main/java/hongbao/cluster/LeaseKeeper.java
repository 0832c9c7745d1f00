package hongbao.cluster;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this node's SET leases every third of their lifetime, each from the moment it is taken ({@link #keep}): a
 * node waiting for one SET's holder must not let the SETs it took already expire. Each lease is renewed on a thread
 * of its own, so that a SET whose database is cut off does not hold up the renewals of the others.
 * A lease found taken over (by a renewal, or by the fence refusing one of this node's writes) means another node owns
 * the SET now: the fence already refuses this node's writes there, and {@code lost} is told so the process can stop. A renewal that fails for want of the database is retried; if the
 * lease runs out meanwhile, this node stops serving the SET ({@link SetLease#held}) and a standby may take it, which
 * is then found at the next renewal.
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ScheduledThreadPoolExecutor threads;
    private final long periodMillis;
    private final IntConsumer lost;
    private int kept;

    private LeaseKeeper(Duration leaseTtl, IntConsumer lost) {
        this.threads = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("lease-keeper-", 0).daemon().factory());
        this.periodMillis = Math.max(1, leaseTtl.toMillis() / 3);
        this.lost = lost;
    }

    /** @param leaseTtl the leases' lifetime; each is renewed every third of it */
    public static LeaseKeeper start(Duration leaseTtl, IntConsumer lost) {
        return new LeaseKeeper(leaseTtl, lost);
    }

    /** Renews the lease from now on, until this keeper is closed. */
    public synchronized void keep(SetLease lease) {
        lease.whenFenced(set -> {
            log.error("SET {}: the fence refused a write of this node (it held epoch {}): another node took the SET over",
                    set, lease.epoch());
            lost.accept(set);
        });
        threads.setCorePoolSize(++kept);
        threads.scheduleWithFixedDelay(() -> renew(lease), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void renew(SetLease lease) {
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
        threads.shutdownNow();
    }
}
