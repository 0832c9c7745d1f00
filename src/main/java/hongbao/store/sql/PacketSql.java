package hongbao.store.sql;

import hongbao.domain.Claim;
import hongbao.domain.Packet;
import hongbao.domain.PacketStatus;
import hongbao.store.packets.PacketReads;
import hongbao.store.packets.StoredPacket;
import hongbao.store.sql.SqlReader.Binder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The packets' reads in SQL: each packet with its claims, read in two statements. */
public final class PacketSql implements PacketReads {
    private final SqlReader reader;

    public PacketSql(SqlReader reader) {
        this.reader = reader;
    }

    @Override
    public Optional<StoredPacket> packet(long packetId) {
        return packetAsDerived(packetId);
    }

    @Override
    public List<StoredPacket> packetsWithIds(Collection<Long> packetIds) {
        return packetsById(List.copyOf(packetIds));
    }

    public Optional<StoredPacket> packetAsDerived(long packetId) {
        List<StoredPacket> found = packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets_all WHERE packet_id = ?",
                st -> st.setLong(1, packetId));
        return found.stream().findFirst();
    }

    @Override
    public List<StoredPacket> livePackets() {
        return packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets WHERE status = ?",
                st -> st.setString(1, PacketStatus.ACTIVE.name()));
    }

    @Override
    public List<Long> dueForExpiry(Instant now, int limit) {
        return reader.query("SELECT packet_id FROM packets WHERE status = ? AND expires_ms <= ? ORDER BY expires_ms LIMIT ?", st -> {
            st.setString(1, PacketStatus.ACTIVE.name());
            st.setLong(2, now.toEpochMilli());
            st.setInt(3, limit);
        }, rs -> rs.getLong(1));
    }

    @Override
    public List<StoredPacket> groupPackets(String groupId, Long beforePacketId, int limit) {
        return packets("SELECT " + PacketRows.PACKET_COLUMNS
                + " FROM packets_all WHERE group_id = ? AND packet_id < ? ORDER BY packet_id DESC LIMIT ?", st -> {
                    st.setString(1, groupId);
                    st.setLong(2, beforePacketId == null ? Long.MAX_VALUE : beforePacketId);
                    st.setInt(3, limit);
                });
    }

    @Override
    public List<StoredPacket> packetsTo(String userId, Long beforePacketId, int limit) {
        return packets("SELECT " + PacketRows.PACKET_COLUMNS
                + " FROM packets_all WHERE to_user_id = ? AND packet_id < ? ORDER BY packet_id DESC LIMIT ?", st -> {
                    st.setString(1, userId);
                    st.setLong(2, beforePacketId == null ? Long.MAX_VALUE : beforePacketId);
                    st.setInt(3, limit);
                });
    }

    @Override
    public List<StoredPacket> packetsBetween(String userId, String otherId, Long beforePacketId, int limit) {
        // Both directions through the packets_to_user index, one range each.
        return packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets_all WHERE ((to_user_id = ? AND sender_id = ?) "
                + "OR (to_user_id = ? AND sender_id = ?)) AND packet_id < ? ORDER BY packet_id DESC LIMIT ?", st -> {
                    st.setString(1, userId);
                    st.setString(2, otherId);
                    st.setString(3, otherId);
                    st.setString(4, userId);
                    st.setLong(5, beforePacketId == null ? Long.MAX_VALUE : beforePacketId);
                    st.setInt(6, limit);
                });
    }

    @Override
    public long lastPacketId() {
        return reader.query("SELECT COALESCE(MAX(packet_id), 0) FROM packets", st -> { }, rs -> rs.getLong(1)).get(0);
    }

    public List<StoredPacket> packetsById(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        StringBuilder in = new StringBuilder();
        for (long id : ids) {
            in.append(in.isEmpty() ? "" : ",").append(id);
        }
        return packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets_all WHERE packet_id IN (" + in + ")", st -> { });
    }

    private static final int CLAIMS_QUERY_PACKETS = 1_000;

    /** Packets with their claims, from a query of packet rows. */
    public List<StoredPacket> packets(String sql, Binder binder) {
        List<hongbao.domain.Packet> packets = reader.query(sql, binder, PacketRows::packet);
        if (packets.isEmpty()) {
            return List.of();
        }
        Map<Long, List<Claim>> claims = new HashMap<>();
        // A thousand ids a query: all live packets in one IN list outgrow SQLite's longest statement (1 MB) past ~50,000.
        for (int from = 0; from < packets.size(); from += CLAIMS_QUERY_PACKETS) {
            StringBuilder in = new StringBuilder();
            for (hongbao.domain.Packet p : packets.subList(from, Math.min(packets.size(), from + CLAIMS_QUERY_PACKETS))) {
                in.append(in.isEmpty() ? "" : ",").append(p.id());
            }
            reader.query("SELECT " + PacketRows.CLAIM_COLUMNS + " FROM claims_all WHERE packet_id IN (" + in + ") ORDER BY packet_id, seq",
                    st -> { }, rs -> claims.computeIfAbsent(rs.getLong("packet_id"), id -> new ArrayList<>()).add(PacketRows.claim(rs)));
        }
        return packets.stream().map(p -> new StoredPacket(p, claims.getOrDefault(p.id(), List.of()))).toList();
    }
}
