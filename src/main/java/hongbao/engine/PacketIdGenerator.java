package hongbao.engine;

import hongbao.domain.PacketIds;
import java.time.Clock;
import java.time.Instant;

/** Hands out unique, time-ordered packet ids on this node. */
final class PacketIdGenerator {
    private final Clock clock;
    private long lastMillis = -1;
    private int sequence;

    /**
     * @param lastStoredId the newest packet id in the stores (0 if none): new ids start in a later millisecond, so a
     *                     restart within the same millisecond, or after the clock stepped back, repeats no id
     */
    PacketIdGenerator(Clock clock, long lastStoredId) {
        this.clock = clock;
        if (lastStoredId > 0) {
            lastMillis = PacketIds.createdAtOf(lastStoredId).toEpochMilli() + 1;
            sequence = -1;
        }
    }

    synchronized long next(int shard) {
        long millis = Math.max(clock.millis(), lastMillis);
        if (millis == lastMillis) {
            sequence++;
            if (sequence >= 1 << PacketIds.SEQUENCE_BITS) {
                millis++;
                sequence = 0;
            }
        } else {
            sequence = 0;
        }
        lastMillis = millis;
        return PacketIds.compose(Instant.ofEpochMilli(millis), shard, sequence);
    }
}
