package hongbao.store.events;

import hongbao.domain.BankReference;
import hongbao.domain.Claim;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketRules;
import hongbao.domain.TransferKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The event each change records, built from the values the change itself computed (so the event says exactly what
 * was written). Packet ids travel as strings, as everywhere in the JSON API; money is fen.
 */
public final class Events {
    private Events() {
    }

    public static EventDraft sent(Packet packet) {
        JsonText data = packetData(packet)
                .put("kind", packet.kind().name())
                .put("total", packet.total())
                .put("count", packet.count())
                .put("greeting", packet.greeting())
                .put("payStatus", packet.payStatus().code())
                .put("expiresAt", packet.expiresAt().toString());
        return draft(EventType.PACKET_SENT, packet.createdAt(), packet, packetAudience(packet, packet.toUserId()), data);
    }

    public static OpenedEvent opened(PacketRules.Opened opened) {
        Packet after = opened.after();
        Claim claim = opened.claim();
        return new OpenedEvent(after.id(), after.senderId(), after.groupId(), after.toUserId(), claim.userId(),
                claim.amount(), claim.seq(), claim.credited(), after.openedCount(), after.count(), after.remaining(),
                claim.claimedAt());
    }

    /**
     * A claim's money reached a wallet in another SET (the relay's credit, in the wallet's SET): its opener learns that
     * the {@code credited: false} of their {@code packet.opened} is now paid in.
     */
    public static EventDraft credited(CrossSetCredit credit, Instant at) {
        JsonText data = new JsonText().put("packetId", Long.toString(credit.packetId())).put("userId", credit.userId())
                .put("amount", credit.amount()).put("seq", credit.seq());
        return new EventDraft.Written(EventType.PACKET_CREDITED, at, credit.packetId(), new Audience(null, credit.userId(), null),
                data.toString());
    }

    /** The open that took the last share: how long the packet took, and for a lucky packet its best share. */
    public static FinishedEvent finished(Packet finished) {
        int bestSeq = finished.kind() == PacketKind.GROUP_LUCKY ? bestLuckSeq(finished.shares()) : 0;
        return new FinishedEvent(finished.id(), finished.senderId(), finished.groupId(), finished.toUserId(),
                finished.total(), finished.count(), Duration.between(finished.createdAt(), finished.finishedAt()).toMillis(),
                bestSeq, bestSeq > 0 ? finished.shares().get(bestSeq - 1) : 0, finished.finishedAt());
    }

    /** The largest share, the earliest of equals: the rule of {@code PacketViews.bestLuck}, read from the split. */
    static int bestLuckSeq(List<Long> shares) {
        int best = 0;
        for (int i = 1; i < shares.size(); i++) {
            if (shares.get(i) > shares.get(best)) {
                best = i;
            }
        }
        return best + 1;
    }

    public static EventDraft expired(Packet expired, long refund, Instant at) {
        JsonText data = packetData(expired).put("refund", refund).put("openedCount", expired.openedCount());
        return draft(EventType.PACKET_EXPIRED, at, expired, packetAudience(expired, expired.toUserId()), data);
    }

    public static EventDraft cancelled(Packet cancelled, Instant at) {
        return draft(EventType.PACKET_CANCELLED, at, cancelled, packetAudience(cancelled, cancelled.toUserId()),
                packetData(cancelled));
    }

    /** A third-party payment's money arrived; {@code outcome} says whether it paid the packet or is owed back. */
    public static EventDraft paymentSettled(Packet packet, long amount, String outcome, Instant at) {
        JsonText data = packetData(packet).put("amount", amount).put("outcome", outcome);
        return draft(EventType.PAYMENT_SETTLED, at, packet, packetAudience(packet, packet.toUserId()), data);
    }

    public static EventDraft bankMovement(BankReference movement, Instant at) {
        EventType type = movement.kind() == TransferKind.DEPOSIT ? EventType.DEPOSIT : EventType.WITHDRAWAL;
        JsonText data = new JsonText()
                .put("userId", movement.userId())
                .put("amount", movement.amount())
                .put("reference", movement.reference());
        return new EventDraft.Written(type, at, null, new Audience(null, movement.userId(), null), data.toString());
    }

    public static EventDraft memberLeft(String groupId, String userId, Instant at) {
        JsonText data = new JsonText().put("groupId", groupId).put("userId", userId);
        return new EventDraft.Written(EventType.GROUP_MEMBER_LEFT, at, null, new Audience(null, userId, groupId), data.toString());
    }

    private static JsonText packetData(Packet packet) {
        return packetData(packet.id(), packet.senderId(), packet.groupId(), packet.toUserId());
    }

    static JsonText packetData(long packetId, String senderId, String groupId, String toUserId) {
        return new JsonText().put("packetId", Long.toString(packetId)).put("senderId", senderId)
                .putIfPresent("groupId", groupId).putIfPresent("toUserId", toUserId);
    }

    private static Audience packetAudience(Packet packet, String receiverId) {
        return new Audience(packet.senderId(), receiverId, packet.groupId());
    }

    private static EventDraft draft(EventType type, Instant at, Packet packet, Audience audience, JsonText data) {
        return new EventDraft.Written(type, at, packet.id(), audience, data.toString());
    }
}
