package hongbao.store.packets;

import hongbao.domain.Claim;
import hongbao.domain.Crediting;
import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
import hongbao.domain.PacketStatus;
import hongbao.domain.Transfer;
import hongbao.store.events.Events;
import hongbao.store.events.EventTx;
import hongbao.store.ledger.LedgerTx;
import java.util.List;

/** Packets and their claims inside one transaction, with the money each step moves. */
public interface PacketTx extends LedgerTx, EventTx {
    void insertPacket(Packet packet);

    void updatePacketProgress(Packet packet);

    void insertClaim(Claim claim);

    /**
     * Inserts a credited claim whose credit from escrow to the wallet ({@code credit}) is the claim row itself, not a
     * transfers row beside it: one row for an open instead of two. Throws if escrow cannot cover it.
     */
    void insertClaimCarryingCredit(Claim claim, Transfer credit);

    /** Debits the sender into escrow and stores the packet; false, writing nothing, if the balance is short. */
    default boolean insertPaidPacket(Packet packet) {
        if (!move(Transfer.send(packet), 0)) {
            return false;
        }
        insertPacket(packet);
        return true;
    }

    /**
     * Records an open: its claim and, once the packet's money has arrived, the claim's credit from escrow (carried by
     * the claim row) or, for a wallet in another SET, its outbox row. Returns which of these it did.
     */
    default Crediting recordOpen(PacketRules.Opened opened, SetLayout layout) {
        Crediting crediting = Crediting.of(opened.after(), opened.claim(), layout);
        switch (crediting) {
            case Crediting.Now now -> insertClaimCarryingCredit(opened.claim(), now.transfer());
            case Crediting.ViaOutbox outbox -> {
                insertClaim(opened.claim());
                insertOutbox(outbox.credit());
            }
            case Crediting.Later later -> insertClaim(opened.claim());
        }
        appendEvent(Events.opened(opened));
        if (opened.after().status() == PacketStatus.FINISHED) {
            appendEvent(Events.finished(opened.after()));
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
}
