package hongbao.store.sql;

import hongbao.store.events.Audience;
import hongbao.store.events.Event;
import hongbao.store.events.EventDraft;
import hongbao.store.events.EventType;
import hongbao.store.events.PackedEvent;
import hongbao.store.events.PackedText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The SQL of a SET's event log (migrations V13 and V15), the same in SQLite and PostgreSQL. A row holds one event, or
 * (type {@value #PACKED}) a run of a transaction's {@link PackedEvent}s, seq through last_seq, one line each.
 */
public final class EventRows {
    public static final String COLUMNS = "seq, type, at_ms, packet_id, sender_id, receiver_id, group_id, data, last_seq";
    private static final String INSERT = "INSERT INTO events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String PACKED = "packed";
    /** Events per packed row: reading a page of events renders at most this many beyond the page. */
    static final int PACKED_MAX = 256;

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
            int next = 0;
            while (next < drafts.size()) {
                int end = next;
                while (end < drafts.size() && end - next < PACKED_MAX && drafts.get(end) instanceof PackedEvent) {
                    end++;
                }
                if (end > next) {
                    bindPacked(insert, seq + 1, drafts.subList(next, end));
                } else {
                    bindWritten(insert, seq + 1, drafts.get(next));
                    end = next + 1;
                }
                insert.addBatch();
                seq += end - next;
                next = end;
            }
            insert.executeBatch();
        }
    }

    private static void bindWritten(PreparedStatement insert, long seq, EventDraft draft) throws SQLException {
        insert.setLong(1, seq);
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
        insert.setNull(9, Types.BIGINT);
    }

    private static void bindPacked(PreparedStatement insert, long first, List<EventDraft> run) throws SQLException {
        StringBuilder text = new StringBuilder(run.size() * 96);
        PackedText.Writer lines = new PackedText.Writer(text);
        long newest = Long.MIN_VALUE;
        for (EventDraft draft : run) {
            if (text.length() > 0) {
                lines.endLine();
            }
            ((PackedEvent) draft).pack(lines);
            newest = Math.max(newest, draft.at().toEpochMilli());
        }
        insert.setLong(1, first);
        insert.setString(2, PACKED);
        insert.setLong(3, newest);
        insert.setNull(4, Types.BIGINT);
        insert.setNull(5, Types.VARCHAR);
        insert.setNull(6, Types.VARCHAR);
        insert.setNull(7, Types.VARCHAR);
        insert.setString(8, text.toString());
        insert.setLong(9, first + run.size() - 1);
    }

    /**
     * The events of the row at {@code rs} (selected as {@link #COLUMNS}) after {@code afterSeq}, in order, at most
     * {@code max} of them: a packed row's are rendered one by one, as far as they are wanted.
     */
    public static void events(int set, ResultSet rs, long afterSeq, int max, Consumer<Event> into) throws SQLException {
        if (max <= 0) {
            return;
        }
        long seq = rs.getLong(1);
        String typeName = rs.getString(2);
        if (!PACKED.equals(typeName)) {
            if (seq > afterSeq) {
                into.accept(written(set, seq, typeName, rs));
            }
            return;
        }
        long lastSeq = rs.getLong(9);
        String[] lines = rs.getString(8).split("\n", -1);
        if (lines.length != lastSeq - seq + 1) {
            throw new SQLException("events row " + seq + " holds " + lines.length + " events, not " + (lastSeq - seq + 1));
        }
        int from = (int) Math.max(0, Math.min(lines.length, afterSeq + 1 - seq));
        for (int i = from; i < lines.length && i - from < max; i++) {
            EventDraft event = PackedEvent.unpack(lines[i]);
            into.accept(new Event(set, seq + i, event.type(), event.at(), event.packetId(), event.audience(), event.dataJson()));
        }
    }

    private static Event written(int set, long seq, String typeName, ResultSet rs) throws SQLException {
        long packetId = rs.getLong(4);
        Long packet = rs.wasNull() ? null : packetId;
        EventType type = EventType.ofWireName(typeName).orElseThrow(() -> new SQLException("unknown event type " + typeName));
        return new Event(set, seq, type, Instant.ofEpochMilli(rs.getLong(3)), packet,
                new Audience(rs.getString(5), rs.getString(6), rs.getString(7)), rs.getString(8));
    }
}
