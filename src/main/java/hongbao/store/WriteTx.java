package hongbao.store;

import java.util.SortedSet;
import hongbao.domain.Claim;
import hongbao.domain.Crediting;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.SetLayout;
import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.Transfer;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** What may be written inside one {@link Store#write} transaction. */
public interface WriteTx {

    /** Creates the user and their wallet; false if the user id exists already. */
    boolean insertUser(String userId, String name, Instant at);

    /** False if the group id exists already. */
    boolean insertGroup(String groupId, String name, Instant at);

    void addMembers(String groupId, Collection<String> userIds);

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

    void insertPacket(Packet packet);

    void updatePacketProgress(Packet packet);

    void insertClaim(Claim claim);

    void saveAnswer(IdempotencySlot slot, StoredAnswer answer);

    /** Debits the sender into escrow and stores the packet; false, writing nothing, if the balance is short. */
    default boolean insertPaidPacket(Packet packet) {
        if (!move(Transfer.send(packet), 0)) {
            return false;
        }
        insertPacket(packet);
        return true;
    }

    /**
     * Records an open: its claim and, once the packet's money has arrived, the claim's credit from escrow or, for a
     * wallet in another SET, its outbox row.
     */
    default void recordOpen(PacketRules.Opened opened, SetLayout layout) {
        insertClaim(opened.claim());
        switch (Crediting.of(opened.after(), opened.claim(), layout)) {
            case Crediting.Now now -> moveFromEscrow(now.transfer());
            case Crediting.ViaOutbox outbox -> insertOutbox(outbox.credit());
            case Crediting.Later later -> {
            }
        }
    }

    /** A paid packet's claims that are neither credited nor waiting in the outbox, in seq order. */
    List<Claim> claimsToCredit(long packetId);

    /** Marks an uncredited claim credited; throws if it already was, which would mean a second credit. */
    void markCredited(Claim claim);

    /** Credits a claim made before its packet's money arrived: now, or through the outbox for another SET. */
    default void creditLate(Packet paid, Claim claim, SetLayout layout) {
        switch (Crediting.of(paid, claim, layout)) {
            case Crediting.Now now -> {
                markCredited(claim);
                moveFromEscrow(now.transfer());
            }
            case Crediting.ViaOutbox outbox -> insertOutbox(outbox.credit());
            case Crediting.Later later -> throw new IllegalStateException("packet " + paid.id() + " is not paid");
        }
    }

    void insertJob(ReconcileJob job);

    void deleteJob(ReconcileJob job);

    /** Records a payment owed back; a repeat of the same payment id is ignored. */
    void insertRefundDue(RefundDue refund);

    /** Queues a credit for the relay, in the packet's SET. */
    void insertOutbox(CrossSetCredit credit);

    /**
     * The packet SET's half of a delivered cross-SET credit: escrow to the outbound account, the claim marked
     * credited, the outbox row removed. Throws if the row is gone, which would mean a second delivery.
     */
    void completeOutbox(CrossSetCredit credit, Instant at);

    /** Escrow always covers what its packets have left; if it does not, the transaction must not commit. */
    default void moveFromEscrow(Transfer transfer) {
        if (!move(transfer, 0)) {
            throw new IllegalStateException("escrow cannot cover " + transfer.id());
        }
    }
}
