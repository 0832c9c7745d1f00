package hongbao.engine;

import hongbao.domain.PacketIds;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

/**
 * Hands out unique, time-ordered packet ids on this node, each carrying its shard in its last two decimal digits
 * ({@link PacketIds#routingHint}) so a proxy can route it. Within one millisecond a shard's sequence therefore steps
 * by 100 from the first value that gives the hint: {@value #IDS_PER_SHARD_PER_MILLISECOND} or more ids per shard per
 * millisecond; a shard that runs out borrows the next millisecond, as the plain sequence did at 65,536.
 */
final class PacketIdGenerator {
    private static final int HINT_MODULUS = 100;
    private static final int SEQUENCE_LIMIT = 1 << PacketIds.SEQUENCE_BITS;
    static final int IDS_PER_SHARD_PER_MILLISECOND = SEQUENCE_LIMIT / HINT_MODULUS;

    private final Clock clock;
    /** No id of this node is older than this millisecond: ids never go back in time, whatever the clock does. */
    private long lastMillis = -1;
    /** Per shard, the millisecond of its last id and that id's sequence; a shard's first id in a millisecond starts afresh. */
    private final long[] shardMillis = new long[PacketIds.MAX_SHARDS];
    private final int[] shardSequence = new int[PacketIds.MAX_SHARDS];

    /**
     * @param lastStoredId the newest packet id in the stores (0 if none): new ids start in a later millisecond, so a
     *                     restart within the same millisecond, or after the clock stepped back, repeats no id
     */
    PacketIdGenerator(Clock clock, long lastStoredId) {
        this.clock = clock;
        Arrays.fill(shardMillis, -1);
        if (lastStoredId > 0) {
            lastMillis = PacketIds.createdAtOf(lastStoredId).toEpochMilli() + 1;
        }
    }

    synchronized long next(int shard) {
        long millis = Math.max(clock.millis(), lastMillis);
        int sequence = shardMillis[shard] == millis ? shardSequence[shard] + HINT_MODULUS : firstHintedSequence(millis, shard);
        if (sequence >= SEQUENCE_LIMIT) {
            millis++;
            sequence = firstHintedSequence(millis, shard);
        }
        lastMillis = millis;
        shardMillis[shard] = millis;
        shardSequence[shard] = sequence;
        long id = PacketIds.compose(Instant.ofEpochMilli(millis), shard, sequence);
        assert PacketIds.hasRoutingHint(id) : id;
        return id;
    }

    /** The smallest sequence (0-99) that makes the id end in the shard's two digits in this millisecond. */
    private static int firstHintedSequence(long millis, int shard) {
        long base = PacketIds.compose(Instant.ofEpochMilli(millis), shard, 0);
        return (int) Math.floorMod(shard - base, (long) HINT_MODULUS);
    }
}
