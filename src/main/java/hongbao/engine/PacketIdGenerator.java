package hongbao.engine;

import hongbao.domain.PacketIds;
import java.time.Clock;
import java.time.Instant;

/** Hands out unique, time-ordered packet ids on this node. */
final class PacketIdGenerator {
    private final Clock clock;
    private long lastMillis = -1;
    private int sequence;

    PacketIdGenerator(Clock clock) {
        this.clock = clock;
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
