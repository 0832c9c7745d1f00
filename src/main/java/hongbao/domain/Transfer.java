package hongbao.domain;

import java.time.Instant;

/**
 * A double-entry movement of {@code amount} fen from one account to another. The id is derived from the cause,
 * so applying the same cause twice is one transfer.
 */
public record Transfer(String id, TransferKind kind, String from, String to, long amount, Long packetId, Instant at) {
    public Transfer {
        if (amount <= 0) {
            throw new IllegalArgumentException("transfer amount must be positive: " + amount);
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("transfer to the same account: " + from);
        }
    }

    public static Transfer deposit(String reference, String userId, long amount, Instant at) {
        return new Transfer("deposit:" + reference, TransferKind.DEPOSIT, Accounts.EXTERNAL, Accounts.wallet(userId),
                amount, null, at);
    }

    /** Money paid out of a wallet to the user's bank: the way out that a deposit is in. */
    public static Transfer withdrawal(String reference, String userId, long amount, Instant at) {
        return new Transfer("withdrawal:" + reference, TransferKind.WITHDRAWAL, Accounts.wallet(userId),
                Accounts.EXTERNAL, amount, null, at);
    }

    /** A third-party payment's money arriving in escrow. */
    public static Transfer payment(Packet packet, String paymentId, Instant at) {
        return new Transfer("payment:" + paymentId, TransferKind.PAYMENT, Accounts.EXTERNAL, Accounts.escrow(packet.shard()),
                packet.total(), packet.id(), at);
    }

    public static Transfer send(Packet packet) {
        return new Transfer("send:" + packet.id(), TransferKind.SEND, Accounts.wallet(packet.senderId()),
                Accounts.escrow(packet.shard()), packet.total(), packet.id(), packet.createdAt());
    }

    public static String claimId(long packetId, int seq) {
        return "claim:" + packetId + ":" + seq;
    }

    public static Transfer claim(Packet packet, Claim claim) {
        return new Transfer(claimId(packet.id(), claim.seq()), TransferKind.CLAIM,
                Accounts.escrow(packet.shard()), Accounts.wallet(claim.userId()), claim.amount(), packet.id(),
                claim.claimedAt());
    }

    /** The packet SET's half of a cross-SET credit: escrow to the outbound account of the wallet's SET. */
    public static Transfer creditSent(CrossSetCredit credit, Instant at) {
        return new Transfer(credit.transferId(), TransferKind.CLAIM,
                Accounts.escrow(PacketIds.shardOf(credit.packetId())), Accounts.outbound(credit.toSet()), credit.amount(),
                credit.packetId(), at);
    }

    /** The wallet SET's half, under the same id: from the inbound account of the packet's SET into the wallet. */
    public static Transfer creditReceived(CrossSetCredit credit, Instant at) {
        return new Transfer(credit.transferId(), TransferKind.CLAIM, Accounts.inbound(credit.fromSet()),
                Accounts.wallet(credit.userId()), credit.amount(), credit.packetId(), at);
    }

    public static String refundId(long packetId) {
        return "refund:" + packetId;
    }

    public static Transfer refund(Packet packet, long amount, Instant at) {
        return new Transfer(refundId(packet.id()), TransferKind.REFUND, Accounts.escrow(packet.shard()),
                Accounts.wallet(packet.senderId()), amount, packet.id(), at);
    }
}
