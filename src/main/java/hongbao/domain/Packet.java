package hongbao.domain;

import java.time.Instant;
import java.util.List;

/**
 * A red packet as stored: its order, its pre-computed shares, and its progress. Immutable; every change is a
 * new value produced by {@link PacketRules}.
 */
public record Packet(
        long id,
        PacketKind kind,
        String senderId,
        String groupId,
        String toUserId,
        String greeting,
        long total,
        int count,
        List<Long> shares,
        PacketStatus status,
        PayStatus payStatus,
        Instant createdAt,
        Instant expiresAt,
        Instant finishedAt,
        int openedCount,
        long openedAmount,
        long refunded) {

    public Packet {
        shares = List.copyOf(shares);
        if (shares.size() != count) {
            throw new IllegalArgumentException("shares must match count");
        }
    }

    public int shard() {
        return PacketIds.shardOf(id);
    }

    /** Money still held in escrow for this packet. */
    public long remaining() {
        return total - openedAmount - refunded;
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    Packet withPayment(PacketStatus newStatus, PayStatus newPayStatus) {
        return new Packet(id, kind, senderId, groupId, toUserId, greeting, total, count, shares, newStatus, newPayStatus,
                createdAt, expiresAt, finishedAt, openedCount, openedAmount, refunded);
    }

    Packet withProgress(PacketStatus newStatus, Instant newFinishedAt, int newOpenedCount, long newOpenedAmount,
            long newRefunded) {
        return new Packet(id, kind, senderId, groupId, toUserId, greeting, total, count, shares, newStatus, payStatus,
                createdAt, expiresAt, newFinishedAt, newOpenedCount, newOpenedAmount, newRefunded);
    }
}
