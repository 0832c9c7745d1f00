package hongbao.store.journal;

import hongbao.domain.Accounts;
import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
import hongbao.store.DatabaseBehind;
import hongbao.store.Failpoint;
import hongbao.store.packets.PacketTx;
import hongbao.store.sql.SqlWriteTx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Derives the journal into the tables: claims, credits (or outbox rows) and each packet's progress, in the transaction
 * that also moves {@code journal_marks.derived_through}, so that each entry is applied exactly once. The caller runs the
 * transaction (a write derives what is pending before its own work); this class says what goes in it.
 */
public final class Derivation {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Derivation.class);
    private final OpenJournal journal;
    private final SetLayout layout;
    private final int set;
    private final int trimEvery;
    private volatile long derivedThrough;

    /** @param trimEvery trimming costs a commit of its own on the journal, so it waits for this many derived entries */
    public Derivation(OpenJournal journal, SetLayout layout, int set, int trimEvery) {
        this.journal = journal;
        this.trimEvery = trimEvery;
        this.layout = layout;
        this.set = set;
    }

    /** Starts from the tables' mark: entries through it are derived, the journal's later ones are pending. */
    public void recover(long mark, LongFunction<Optional<Packet>> derivedPacket) {
        derivedThrough = mark;
        journal.recover(mark, derivedPacket);
    }

    /**
     * Inside a write transaction: derives the oldest pending entries after the mark as committed, at most {@code limit}
     * of them, moving the mark. Tell {@link #derived} once the transaction has committed. The derived tables hold a
     * prefix of the journal whatever the limit.
     */
    public Derived derivePending(SqlWriteTx tx, int limit) {
        List<OpenJournal.JournaledOpen> due = journal.backlog() == 0 ? List.of() : dueAfterMark(tx, limit);
        if (due.isEmpty()) {
            return Derived.NOTHING;
        }
        derive(tx, due.stream().map(OpenJournal.JournaledOpen::opened).toList(), true);
        tx.markDerivedThrough(due.getLast().op());
        return new Derived(due.getLast().op(), due.size());
    }

    /** What a transaction derived: the entries through {@code throughOp}, {@code entries} of them (0: none). */
    public record Derived(long throughOp, int entries) {
        static final Derived NOTHING = new Derived(0, 0);
    }

    /** The transaction that derived these entries committed. */
    public void derived(Derived derived) {
        if (derived.entries() > 0) {
            journal.derivedThrough(derived.throughOp());
            derivedThrough = derived.throughOp();
        }
    }

    /** The pending entries after the committed mark; those through it were derived by a COMMIT that failed after all. */
    private List<OpenJournal.JournaledOpen> dueAfterMark(SqlWriteTx tx, int limit) {
        long mark = tx.lockDerivedThrough();
        if (mark < derivedThrough) {
            throw new DatabaseBehind("the journal's derivation mark", mark, derivedThrough);
        }
        if (mark > derivedThrough) {
            log.warn("SET {}: journal entries through {} were derived by a transaction whose COMMIT seemed to fail; "
                    + "continuing after them", set, mark);
            journal.derivedThrough(mark);
            derivedThrough = mark;
        }
        return journal.pending(limit);
    }

    /**
     * What a batch of opens writes into the derived tables: claims, credits (or outbox rows), and each packet's
     * progress once. The accounts are locked first, in one order.
     */
    public void derive(PacketTx tx, List<PacketRules.Opened> opens, boolean failpoint) {
        SortedSet<String> accounts = new TreeSet<>();
        for (PacketRules.Opened opened : opens) {
            accounts.add(Accounts.escrow(opened.after().shard()));
            if (layout.sameSet(opened.after().id(), opened.claim().userId())) {
                accounts.add(Accounts.wallet(opened.claim().userId()));
            }
        }
        tx.lockAccounts(accounts);
        Map<Long, Packet> progress = new LinkedHashMap<>();
        int half = opens.size() / 2;
        for (int i = 0; i < opens.size(); i++) {
            if (failpoint && i == half && half > 0) {
                Failpoint.hit(Failpoint.MID_DERIVATION);
            }
            PacketRules.Opened opened = opens.get(i);
            tx.recordOpen(opened, layout);
            progress.put(opened.after().id(), opened.after());
        }
        progress.values().forEach(tx::updatePacketProgress);
    }

    /** Trims derived entries from the journal once enough have gathered (a trim costs a commit of its own). */
    public void trimIfDue() {
        if (derivedThrough - journal.trimmedThrough() >= trimEvery) {
            journal.trim(derivedThrough);
        }
    }
}
