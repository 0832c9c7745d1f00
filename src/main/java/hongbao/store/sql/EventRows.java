package hongbao.store.sql;

import hongbao.store.events.Audience;
import hongbao.store.events.Event;
import hongbao.store.events.EventDraft;
import hongbao.store.events.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/** The SQL of a SET's event log (migration V13), the same in SQLite and PostgreSQL. */
public final class EventRows {
    public static final String COLUMNS = "seq, type, at_ms, packet_id, sender_id, receiver_id, group_id, data";
    private static final String INSERT = "INSERT INTO events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private EventRows() {
    }

    /**
     * Appends a transaction's events, numbered after the SET's last one. The mark's row lock is held to COMMIT, so
     * transactions that record events commit in the order of their numbers; it is taken last, after every other lock
     * of the transaction, so waiting for it never closes a cycle.
     */
    static void append(Connection connection, List<EventDraft> drafts) throws SQLException {
        if (drafts.isEmpty()) {
            return;
        }
        long last;
        try (PreparedStatement reserve = connection.prepareStatement(
                "UPDATE event_marks SET last_seq = last_seq + ? WHERE id = 0 RETURNING last_seq")) {
            reserve.setInt(1, drafts.size());
            try (ResultSet rs = reserve.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("event_marks has no row");
                }
                last = rs.getLong(1);
            }
        }
        long seq = last - drafts.size();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (EventDraft draft : drafts) {
                insert.setLong(1, ++seq);
                insert.setString(2, draft.type().wireName());
                insert.setLong(3, draft.at().toEpochMilli());
                if (draft.packetId() == null) {
                    insert.setNull(4, Types.BIGINT);
                } else {
                    insert.setLong(4, draft.packetId());
                }
                insert.setString(5, draft.audience().senderId());
                insert.setString(6, draft.audience().receiverId());
                insert.setString(7, draft.audience().groupId());
                insert.setString(8, draft.dataJson());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public static Event event(int set, ResultSet rs) throws SQLException {
        long packetId = rs.getLong(4);
        Long packet = rs.wasNull() ? null : packetId;
        String typeName = rs.getString(2);
        EventType type = EventType.ofWireName(typeName).orElseThrow(() -> new SQLException("unknown event type " + typeName));
        return new Event(set, rs.getLong(1), type, Instant.ofEpochMilli(rs.getLong(3)), packet,
                new Audience(rs.getString(5), rs.getString(6), rs.getString(7)), rs.getString(8));
    }
}
