package hongbao.store.events;

import java.time.Instant;

/** {@code packet.opened}: what the open's claim and the packet after it say, kept as values until read. */
public record OpenedEvent(long packet, String senderId, String groupId, String toUserId, String userId, long amount,
        int seq, boolean credited, int openedCount, int count, long remaining, Instant at) implements PackedEvent {
    static final String TAG = "o";

    @Override
    public EventType type() {
        return EventType.PACKET_OPENED;
    }

    @Override
    public Long packetId() {
        return packet;
    }

    @Override
    public Audience audience() {
        return new Audience(senderId, userId, groupId);
    }

    @Override
    public String dataJson() {
        return Events.packetData(packet, senderId, groupId, toUserId)
                .put("userId", userId)
                .put("amount", amount)
                .put("seq", seq)
                .put("credited", credited)
                .put("openedCount", openedCount)
                .put("count", count)
                .put("remaining", remaining)
                .toString();
    }

    @Override
    public void pack(PackedText.Writer line) {
        line.string(TAG).number(packet).string(senderId).string(groupId).string(toUserId).string(userId).number(amount)
                .number(seq).number(credited ? 1 : 0).number(openedCount).number(count).number(remaining)
                .number(at.toEpochMilli());
    }

    static OpenedEvent unpack(PackedText.Reader fields) {
        return new OpenedEvent(fields.number(), fields.string(), fields.string(), fields.string(), fields.string(),
                fields.number(), fields.integer(), fields.number() == 1, fields.integer(), fields.integer(),
                fields.number(), Instant.ofEpochMilli(fields.number()));
    }
}
