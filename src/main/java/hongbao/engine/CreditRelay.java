package hongbao.engine;

import hongbao.store.Failpoint;
import hongbao.domain.Accounts;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.PacketIds;
import hongbao.domain.Transfer;
import hongbao.store.ledger.RecordedTransfer;
import hongbao.store.Store;
import hongbao.store.events.Events;
import hongbao.store.StoreSets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Delivers the credits that claims queued for wallets in other SETs. For each batch of a SET's outbox it commits
 * first in each wallet's SET (inbound to wallet, skipped if that transfer id is already there), then in the packet's
 * SET (escrow to outbound, claim marked credited, outbox row deleted). A crash between the two commits leaves the
 * rows in the outbox; the next pass finds their transfers already applied and only completes them. So every
 * credit is applied exactly once, without a distributed transaction.
 */
public final class CreditRelay implements AutoCloseable {
    /** A credit still waiting after this long is reported by the audit. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /** Also looked at without a wake-up, for rows left by a crash or a failed pass. */
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final int BATCH = 500;

    private final StoreSets sets;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final PerSetLoop loop;

    public CreditRelay(StoreSets sets, Clock clock, EngineMetrics metrics) {
        this.sets = sets;
        this.clock = clock;
        this.metrics = metrics;
        this.loop = new PerSetLoop("credit-relay", sets.ownedSets(), IDLE_POLL, this::deliverBatch);
    }

    /** Starts one relay thread per SET; none when there is only one SET. */
    public void start() {
        if (sets.layout().sets() > 1) {
            loop.start();
        }
    }

    /** Says that the SET's outbox has new rows. */
    public void wake(int set) {
        loop.wake(set);
    }

    /** Delivers everything in every outbox now, for callers that must see wallets settled (a start, tests). */
    public void deliverAll() {
        loop.drainAll();
    }

    /**
     * Delivers up to one batch of the SET's outbox.
     *
     * @return how many credits were completed
     */
    private int deliverBatch(int fromSet) {
        Store source = sets.set(fromSet);
        List<CrossSetCredit> credits = source.outbox(BATCH);
        if (credits.isEmpty()) {
            return 0;
        }
        Map<Integer, List<CrossSetCredit>> byTarget = credits.stream()
                .collect(Collectors.groupingBy(CrossSetCredit::toSet, TreeMap::new, Collectors.toList()));
        byTarget.forEach((toSet, toThatSet) -> {
            applyInWalletSet(sets.set(toSet), toThatSet);
            metrics.crossSetCredits(fromSet, toSet, toThatSet.size());
        });
        Failpoint.hit(Failpoint.RELAY_BETWEEN_SETS);
        source.write(tx -> {
            tx.lockAccounts(accountsInPacketSet(credits));
            for (CrossSetCredit credit : credits) {
                tx.completeOutbox(credit, clock.instant());
            }
            return null;
        });
        return credits.size();
    }

    private void applyInWalletSet(Store target, List<CrossSetCredit> credits) {
        target.writeShared(tx -> {
            SortedSet<String> accounts = new TreeSet<>();
            for (CrossSetCredit credit : credits) {
                accounts.add(Accounts.inbound(credit.fromSet()));
                accounts.add(Accounts.wallet(credit.userId()));
            }
            tx.lockAccounts(accounts);
            for (CrossSetCredit credit : credits) {
                Transfer transfer = Transfer.creditReceived(credit, clock.instant());
                Optional<RecordedTransfer> applied = tx.recordedTransfer(transfer.id());
                if (applied.isPresent()) {
                    if (!applied.get().sameMovementAs(transfer)) {
                        throw new IllegalStateException(transfer.id() + " was applied with other accounts or amount");
                    }
                    continue;
                }
                // The inbound account mirrors the other SET's outbound one and goes negative by design.
                tx.move(transfer, Long.MIN_VALUE);
                tx.appendEvent(Events.credited(credit, transfer.at()));
            }
            return null;
        });
    }

    private static SortedSet<String> accountsInPacketSet(List<CrossSetCredit> credits) {
        SortedSet<String> accounts = new TreeSet<>();
        for (CrossSetCredit credit : credits) {
            accounts.add(Accounts.escrow(PacketIds.shardOf(credit.packetId())));
            accounts.add(Accounts.outbound(credit.toSet()));
        }
        return accounts;
    }

    @Override
    public void close() {
        loop.close();
    }
}
