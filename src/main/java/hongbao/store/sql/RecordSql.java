package hongbao.store.sql;

import hongbao.domain.AuditFacts;
import hongbao.domain.PacketIds;
import hongbao.domain.Records;
import hongbao.store.StoreException;
import hongbao.store.packets.StoredPacket;
import hongbao.store.records.ReceivedClaim;
import hongbao.store.records.RecordReads;
import hongbao.store.records.RecordTotals;
import hongbao.store.records.StoredAnswer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Records, remembered answers and the audit's facts in SQL. */
public final class RecordSql implements RecordReads {
    /** The statuses of sent records as an SQL list; enum names, so safe to inline. */
    private static final String SENT_STATUSES = Records.SENT_STATUSES.stream().map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(","));
    private final SqlReader reader;
    private final PacketSql packets;

    public RecordSql(SqlReader reader, PacketSql packets) {
        this.reader = reader;
        this.packets = packets;
    }

    @Override
    public List<ReceivedClaim> receivedClaims(String userId, Instant from, Instant until, Records.ReceivedCursor before,
            int limit) {
        // The claims_by_user index, read backwards from the cursor. A packet is created before it is opened, so no
        // packet id past the range's end can hold one: on PostgreSQL that prunes the later day partitions.
        List<Long> packetIds = reader.query("SELECT packet_id FROM claims_all WHERE user_id = ? AND claimed_ms >= ? AND claimed_ms < ? "
                + "AND packet_id < ? AND (claimed_ms, packet_id) < (?, ?) ORDER BY claimed_ms DESC, packet_id DESC LIMIT ?", st -> {
                    st.setString(1, userId);
                    st.setLong(2, from.toEpochMilli());
                    st.setLong(3, until.toEpochMilli());
                    st.setLong(4, PacketIds.firstIdAt(until));
                    st.setLong(5, before == null ? Long.MAX_VALUE : before.claimedMs());
                    st.setLong(6, before == null ? Long.MAX_VALUE : before.packetId());
                    st.setInt(7, limit);
                }, rs -> rs.getLong(1));
        Map<Long, StoredPacket> byId = new HashMap<>();
        for (StoredPacket stored : packets.packetsById(packetIds)) {
            byId.put(stored.packet().id(), stored);
        }
        List<ReceivedClaim> received = new ArrayList<>();
        for (long packetId : packetIds) {
            StoredPacket stored = byId.get(packetId);
            // Claims and their packet are written in one transaction, so both are there; the filter only guards
            // against a reader that sees neither.
            if (stored != null) {
                stored.claims().stream().filter(c -> c.userId().equals(userId)).findFirst()
                        .ifPresent(mine -> received.add(new ReceivedClaim(mine, stored)));
            }
        }
        return received;
    }

    @Override
    public List<StoredPacket> sentPackets(String senderId, Instant from, Instant until, Long beforePacketId, int limit) {
        // A packet id starts with its creation time: the year is a range of the packets_sender index.
        return packets.packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets_all WHERE sender_id = ? AND packet_id >= ? "
                + "AND packet_id < ? AND status IN (" + SENT_STATUSES + ") ORDER BY packet_id DESC LIMIT ?", st -> {
                    st.setString(1, senderId);
                    st.setLong(2, PacketIds.firstIdAt(from));
                    st.setLong(3, Math.min(PacketIds.firstIdAt(until), beforePacketId == null ? Long.MAX_VALUE : beforePacketId));
                    st.setInt(4, limit);
                });
    }

    @Override
    public RecordTotals sentTotals(String senderId, Instant from, Instant until) {
        return reader.query("SELECT COUNT(*), COALESCE(SUM(total), 0) FROM packets_all WHERE sender_id = ? AND packet_id >= ? "
                + "AND packet_id < ? AND status IN (" + SENT_STATUSES + ")", st -> {
                    st.setString(1, senderId);
                    st.setLong(2, PacketIds.firstIdAt(from));
                    st.setLong(3, PacketIds.firstIdAt(until));
                }, rs -> new RecordTotals(rs.getLong(1), rs.getLong(2))).getFirst();
    }

    @Override
    public Optional<StoredAnswer> answer(String scope, String key) {
        return reader.query("SELECT request_hash, status, body FROM idempotency WHERE scope = ? AND idem_key = ?", st -> {
            st.setString(1, scope);
            st.setString(2, key);
        }, rs -> new StoredAnswer(rs.getString(1), rs.getInt(2), rs.getString(3))).stream().findFirst();
    }

    @Override
    public AuditFacts auditFacts() {
        try (Connection connection = reader.connection()) {
            // One read transaction so that every sum is taken from the same snapshot (SQLite's read transactions
            // always are one; PostgreSQL's need REPEATABLE READ).
            if (!"SQLite".equals(connection.getMetaData().getDatabaseProductName())) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            connection.setAutoCommit(false);
            try {
                return AuditQueries.facts(connection);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException("audit failed: " + e.getMessage(), e);
        }
    }
}
