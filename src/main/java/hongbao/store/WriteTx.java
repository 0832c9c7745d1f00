package hongbao.store;

import java.util.SortedSet;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.Claim;
import hongbao.domain.Merchant;
import hongbao.domain.RedpackBill;
import hongbao.domain.Crediting;
import hongbao.domain.BankReference;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.SetLayout;
import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.PacketStatus;
import hongbao.domain.Transfer;
import hongbao.events.EventDraft;
import hongbao.events.Events;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** What may be written inside one {@link Store#write} transaction. */
public interface WriteTx {

    /** Creates the user and their wallet; false if the user id exists already. */
    boolean insertUser(String userId, String name, Instant at);

    /** False if the group id exists already. {@code ownerId} is null for a group without an owner. */
    boolean insertGroup(String groupId, String name, String ownerId, Instant at);

    void addMembers(String groupId, Collection<String> userIds);

    void removeMember(String groupId, String userId);

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

    void insertPacket(Packet packet);

    void updatePacketProgress(Packet packet);

    void insertClaim(Claim claim);

    void saveAnswer(IdempotencySlot slot, StoredAnswer answer);

    /** Records an event of this transaction's change in the SET's log (docs/events.md), committed with it. */
    void appendEvent(EventDraft event);

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
     * wallet in another SET, its outbox row. Returns which of these it did.
     */
    default Crediting recordOpen(PacketRules.Opened opened, SetLayout layout) {
        insertClaim(opened.claim());
        appendEvent(Events.opened(opened));
        if (opened.after().status() == PacketStatus.FINISHED) {
            appendEvent(Events.finished(opened.after()));
        }
        Crediting crediting = Crediting.of(opened.after(), opened.claim(), layout);
        switch (crediting) {
            case Crediting.Now now -> moveFromEscrow(now.transfer());
            case Crediting.ViaOutbox outbox -> insertOutbox(outbox.credit());
            case Crediting.Later later -> {
            }
        }
        return crediting;
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

    /** False if the mch_id exists already. */
    boolean insertMerchant(Merchant merchant, Instant at);

    /** Binds an app's openid to a user; false, writing nothing, if the openid or the user is bound already. */
    boolean bindOpenid(OpenidBinding binding);

    /** Records a bill, or the bill's new attempt (its packet, quota day and failure; its request stays as first recorded). */
    void saveBill(RedpackBill bill);

    /** Counts one more packet from the merchant to the user on that day; false, changing nothing, at the limit. */
    boolean takeDailySend(String mchId, String userId, String day, int limit);

    /** Gives back a counted packet that was not sent. */
    void returnDailySend(String mchId, String userId, String day);

    /** False if the merchant has a campaign with this id already. */
    boolean insertCampaign(Campaign campaign);

    /** The campaign as it is now, locked for the rest of the transaction (entries draw from its remainder in turn). */
    Optional<Campaign> lockCampaign(String mchId, String campaignId);

    Optional<CampaignWin> campaignWin(String mchId, String campaignId, String userId);

    /**
     * Records a win and reserves its amount from the campaign's budget, together; false, writing nothing, if the user
     * has won this campaign already (the table's primary key decides, not an earlier read). Throws if the amount does
     * not fit the remaining budget, which would mean the caller drew it from a stale remainder.
     */
    boolean insertWin(CampaignWin win);

    /** Marks a pending win paid by this packet; throws if it is not pending, which would mean a second payment. */
    void markWinPaid(CampaignWin win, long packetId, Instant at);

    /** Escrow always covers what its packets have left; if it does not, the transaction must not commit. */
    default void moveFromEscrow(Transfer transfer) {
        if (!move(transfer, 0)) {
            throw new IllegalStateException("escrow cannot cover " + transfer.id());
        }
    }
}
