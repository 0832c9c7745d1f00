package hongbao.store.ledger;

import hongbao.domain.BankReference;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Transfer;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;

/** Money inside one transaction: transfers between accounts, bank references, credits owed to other SETs. */
public interface LedgerTx {
    /**
     * Records that a bank reference is taken by this deposit or withdrawal, unless it is already; returns the movement
     * the reference belongs to now (the given one, or the one recorded first).
     */
    BankReference takeBankReference(BankReference movement, Instant at);

    /** The transfer already recorded under this id (its accounts and amount), if any. */
    Optional<RecordedTransfer> recordedTransfer(String transferId);

    /**
     * Locks these accounts for the rest of the transaction, in the set's order. Accounts first touched later by
     * {@link #move} are locked then; locking a batch's accounts up front in one global order avoids deadlocks.
     */
    void lockAccounts(SortedSet<String> accounts);

    /**
     * Applies a transfer: debits {@code from} only if it stays at or above {@code fromFloor}, credits {@code to},
     * records both balances after. Returns false, changing nothing, if the debit would break the floor.
     */
    boolean move(Transfer transfer, long fromFloor);

    /** Escrow always covers what its packets have left; if it does not, the transaction must not commit. */
    default void moveFromEscrow(Transfer transfer) {
        if (!move(transfer, 0)) {
            throw new IllegalStateException("escrow cannot cover " + transfer.id());
        }
    }

    /** Queues a credit for the relay, in the packet's SET. */
    void insertOutbox(CrossSetCredit credit);

    /**
     * The packet SET's half of a delivered cross-SET credit: escrow to the outbound account, the claim marked
     * credited, the outbox row removed. Throws if the row is gone, which would mean a second delivery.
     */
    void completeOutbox(CrossSetCredit credit, Instant at);
}
