package hongbao.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A packet id is a positive 64-bit number: 41 bits of milliseconds since 2026-01-01 UTC, 6 bits of logical
 * shard, 16 bits of sequence within that millisecond. Routing and day partitioning read it without a lookup.
 * New ids also repeat their shard in their last two decimal digits (see {@link #routingHint}).
 */
public final class PacketIds {
    public static final int MAX_SHARDS = 64;
    public static final int SEQUENCE_BITS = 16;
    private static final int SHARD_BITS = 6;
    private static final long EPOCH_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private PacketIds() {
    }

    public static long compose(Instant createdAt, int shard, int sequence) {
        long millis = createdAt.toEpochMilli() - EPOCH_MILLIS;
        if (millis < 0 || millis >= 1L << 41) {
            throw new IllegalArgumentException("time outside the id range: " + createdAt);
        }
        if (shard < 0 || shard >= MAX_SHARDS || sequence < 0 || sequence >= 1 << SEQUENCE_BITS) {
            throw new IllegalArgumentException("shard or sequence out of range");
        }
        return millis << (SHARD_BITS + SEQUENCE_BITS) | (long) shard << SEQUENCE_BITS | sequence;
    }

    /** The millisecond the packet was created in. */
    public static Instant createdAtOf(long id) {
        return Instant.ofEpochMilli(EPOCH_MILLIS + (id >>> (SHARD_BITS + SEQUENCE_BITS)));
    }

    public static int shardOf(long id) {
        return (int) (id >>> SEQUENCE_BITS) & (MAX_SHARDS - 1);
    }

    /**
     * The routing hint: the id's last two decimal digits. A proxy such as nginx cannot shift and mask a decimal
     * number, but it can match the end of a URL, so new ids are chosen with {@code id % 100 == shardOf(id)} and the
     * proxy picks the shard's node from the text. The bits stay the truth; the hint only saves a forward.
     */
    public static int routingHint(long id) {
        return (int) (id % 100);
    }

    /**
     * Whether the id's last two decimal digits name its shard. Ids made before the hint existed mostly do not: a
     * proxy then guesses a node by the digits and that node forwards the request to the owner, slower but right.
     */
    public static boolean hasRoutingHint(long id) {
        return routingHint(id) == shardOf(id);
    }

    /** The smallest id of a packet created at or after this instant: time ranges of packets become id ranges. */
    public static long firstIdAt(Instant at) {
        return compose(at, 0, 0);
    }

    /** The smallest id of a packet created on this UTC day; the next day's first id bounds the day from above. */
    public static long firstIdOf(LocalDate day) {
        return compose(day.atStartOfDay(ZoneOffset.UTC).toInstant(), 0, 0);
    }

    /** Parses an id as it appears in a URL; anything but 1-19 decimal digits of a positive long is rejected. */
    public static long parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "packet id must be a decimal number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "packet id out of range");
        }
    }
}
