package hongbao.store.events;

import java.time.Instant;

/**
 * {@code packet.finished}: the open that took the last share, how long the packet took, and for a lucky packet its
 * best share ({@code bestLuckSeq} 0 for other kinds).
 */
public record FinishedEvent(long packet, String senderId, String groupId, String toUserId, long total, int count,
        long finishMillis, int bestLuckSeq, long bestLuckAmount, Instant at) implements PackedEvent {
    static final String TAG = "f";

    @Override
    public EventType type() {
        return EventType.PACKET_FINISHED;
    }

    @Override
    public Long packetId() {
        return packet;
    }

    @Override
    public Audience audience() {
        return new Audience(senderId, toUserId, groupId);
    }

    @Override
    public String dataJson() {
        JsonText data = Events.packetData(packet, senderId, groupId, toUserId)
                .put("total", total)
                .put("count", count)
                .put("finishMillis", finishMillis);
        if (bestLuckSeq > 0) {
            data.putObject("bestLuck", new JsonText().put("seq", bestLuckSeq).put("amount", bestLuckAmount));
        }
        return data.toString();
    }

    @Override
    public void pack(PackedText.Writer line) {
        line.string(TAG).number(packet).string(senderId).string(groupId).string(toUserId).number(total).number(count)
                .number(finishMillis).number(bestLuckSeq).number(bestLuckAmount).number(at.toEpochMilli());
    }

    static FinishedEvent unpack(PackedText.Reader fields) {
        return new FinishedEvent(fields.number(), fields.string(), fields.string(), fields.string(), fields.number(),
                fields.integer(), fields.number(), fields.integer(), fields.number(), Instant.ofEpochMilli(fields.number()));
    }
}
