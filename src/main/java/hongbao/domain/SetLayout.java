package hongbao.domain;

import java.util.random.RandomGenerator;

/**
 * How the data is split into SETs (each its own database): logical shard {@code s} lives in SET {@code s % sets},
 * and a user's wallet in the SET their id hashes to. Both are fixed for the life of the data. A packet is created
 * on a shard of its sender's SET, so sending and refunding never leave one database; only a claim whose receiver
 * lives elsewhere crosses SETs (through the credit outbox).
 */
public record SetLayout(int shards, int sets) {
    public SetLayout {
        if (shards < 1 || shards > PacketIds.MAX_SHARDS || sets < 1 || sets > shards) {
            throw new IllegalArgumentException("need 1 <= sets <= shards <= " + PacketIds.MAX_SHARDS
                    + ", not " + sets + " sets of " + shards + " shards");
        }
    }

    /** Everything in one database, as the benchmark and single-store tools have it. */
    public static final SetLayout ONE_SET = new SetLayout(PacketIds.MAX_SHARDS, 1);

    public int setOfShard(int shard) {
        return shard % sets;
    }

    public int setOfPacket(long packetId) {
        return setOfShard(PacketIds.shardOf(packetId));
    }

    /** String.hashCode is specified by the language, so every JVM puts a user in the same SET. */
    public int setOfUser(String userId) {
        return Math.floorMod(userId.hashCode(), sets);
    }

    /** Groups are placed like users: by their id. */
    public int setOfGroup(String groupId) {
        return setOfUser(groupId);
    }

    /** A deposit's bank reference is recorded where it hashes to, so every SET asks the same database about it. */
    public int setOfReference(String reference) {
        return setOfUser(reference);
    }

    /** Shards that belong to the set; shard {@code set + k * sets} for k = 0, 1, ... */
    public int shardCountOf(int set) {
        return (shards - set + sets - 1) / sets;
    }

    public int randomShardOf(int set, RandomGenerator random) {
        return set + sets * random.nextInt(shardCountOf(set));
    }

    public boolean sameSet(long packetId, String userId) {
        return setOfPacket(packetId) == setOfUser(userId);
    }
}
