package hongbao.engine;

import hongbao.domain.Accounts;
import hongbao.domain.Claim;
import hongbao.domain.Packet;
import hongbao.domain.PayStatus;
import hongbao.domain.SetLayout;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credits the claims made on a packet before its provider's money arrived, as the seed does it: without any row
 * lock held across the notification. The notification's commit queues pass 1 of a durable job; a pass credits every
 * claim still uncredited (from escrow, or through the outbox for another SET), and pass 1 queues pass 2 after a
 * delay as a second sweep. Jobs live in the database, so a crash between the notification and the crediting only
 * delays it until the next start.
 */
public final class Reconciler implements AutoCloseable {
    public static final Duration DEFAULT_SECOND_PASS_DELAY = Duration.ofSeconds(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final StoreSets sets;
    private final Clock clock;
    private final Duration secondPassDelay;
    private final IntConsumer outboxWritten;
    private final PerSetLoop loop;

    /** @param outboxWritten told when a pass queued credits for wallets in other SETs */
    public Reconciler(StoreSets sets, Clock clock, Duration secondPassDelay, IntConsumer outboxWritten) {
        this.sets = sets;
        this.clock = clock;
        this.secondPassDelay = secondPassDelay;
        this.outboxWritten = outboxWritten;
        this.loop = new PerSetLoop("reconciler", sets.ownedSets(), IDLE_POLL, this::runDue);
    }

    public void start() {
        loop.start();
    }

    public void wake(int set) {
        loop.wake(set);
    }

    /** Runs every pass that is due now, in every SET; for the start after a crash, and tests. */
    public void runAllDue() {
        loop.drainAll();
    }

    /** @return how many passes ran */
    private int runDue(int set) {
        Store store = sets.set(set);
        List<ReconcileJob> due = store.dueJobs(clock.instant(), BATCH);
        for (ReconcileJob job : due) {
            run(store, job);
        }
        return due.size();
    }

    private void run(Store store, ReconcileJob job) {
        SetLayout layout = sets.layout();
        Packet packet = store.packet(job.packetId()).map(hongbao.store.packets.StoredPacket::packet).orElse(null);
        int credited = store.write(tx -> {
            int count = 0;
            if (packet != null && packet.payStatus() == PayStatus.SERVER_CONFIRMED) {
                List<Claim> waiting = tx.claimsToCredit(packet.id());
                tx.lockAccounts(accountsOf(packet, waiting, layout));
                for (Claim claim : waiting) {
                    tx.creditLate(packet, claim, layout);
                }
                count = waiting.size();
            }
            tx.deleteJob(job);
            if (job.pass() == 1) {
                tx.insertJob(new ReconcileJob(job.packetId(), 2, clock.instant().plus(secondPassDelay)));
            }
            return count;
        });
        if (credited > 0) {
            log.info("reconciler pass {} credited {} claims of packet {}", job.pass(), credited, job.packetId());
            outboxWritten.accept(layout.setOfPacket(job.packetId()));
        }
    }

    private static SortedSet<String> accountsOf(Packet packet, List<Claim> claims, SetLayout layout) {
        SortedSet<String> accounts = new TreeSet<>();
        accounts.add(Accounts.escrow(packet.shard()));
        for (Claim claim : claims) {
            if (layout.sameSet(packet.id(), claim.userId())) {
                accounts.add(Accounts.wallet(claim.userId()));
            }
        }
        return accounts;
    }

    @Override
    public void close() {
        loop.close();
    }
}
