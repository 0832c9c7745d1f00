package hongbao.store.packets;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Packets with their claims: by id, live, due to expire, and as each conversation lists them. */
public interface PacketReads {
    Optional<StoredPacket> packet(long packetId);

    /** Those of these packets that this SET holds, with their claims, in no particular order. */
    List<StoredPacket> packetsWithIds(Collection<Long> packetIds);

    /** The newest packet id stored, 0 if none: new ids must come after it. */
    long lastPacketId();

    /** Active packets with their claims, to rebuild the engine's memory on start. */
    List<StoredPacket> livePackets();

    List<Long> dueForExpiry(Instant now, int limit);

    /** A group's packets, newest first, strictly before the cursor (a packet id) when given. */
    List<StoredPacket> groupPackets(String groupId, Long beforePacketId, int limit);

    /** Personal packets addressed to a user, newest first, strictly before the cursor (a packet id) when given. */
    List<StoredPacket> packetsTo(String userId, Long beforePacketId, int limit);

    /**
     * Personal packets between two users, either way (the 1:1 chat), newest first, strictly before the cursor (a
     * packet id) when given.
     */
    List<StoredPacket> packetsBetween(String userId, String otherId, Long beforePacketId, int limit);
}
