package hongbao.store.jdbc;

import hongbao.store.events.Event;
import hongbao.store.events.EventLog;
import hongbao.store.StoreException;
import hongbao.store.sql.EventRows;
import hongbao.store.sql.SqlReader;
import hongbao.store.sql.SqlWriteTx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The event log of one SET in its database: read on the readers' pool, written in the store's transactions. */
final class SqlEventLog implements EventLog {
    /** Rows deleted per trimming statement, so a long-neglected log never makes one huge transaction. */
    private static final int TRIM_CHUNK = 10_000;

    private final SqlReader reader;
    private final JdbcStore store;
    private final int set;
    private final Runnable catchUp;

    /** @param catchUp derives what the journal holds, so that an acknowledged open's event is there to read */
    SqlEventLog(SqlReader reader, JdbcStore store, int set, Runnable catchUp) {
        this.reader = reader;
        this.store = store;
        this.set = set;
        this.catchUp = catchUp;
    }

    @Override
    public List<Event> after(long afterSeq, int limit) {
        // Seqs are dense: the page's events are in the rows from the one holding afterSeq + 1 (a packed row may start
        // before it; the oldest kept row if it was trimmed) to the one holding the page's last seq, and no further.
        Long first = read("SELECT coalesce((SELECT max(seq) FROM events WHERE seq <= ?), (SELECT min(seq) FROM events))",
                st -> st.setLong(1, afterSeq + 1), rs -> rs.getObject(1) == null ? null : rs.getLong(1)).getFirst();
        List<Event> page = new ArrayList<>(Math.min(limit, 1_024));
        if (first == null) {
            return page;
        }
        read("SELECT " + EventRows.COLUMNS + " FROM events WHERE seq >= ? AND seq < ? ORDER BY seq", st -> {
            st.setLong(1, first);
            st.setLong(2, Math.max(afterSeq + 1, first) + limit);
        }, rs -> {
            EventRows.events(set, rs, afterSeq, limit - page.size(), page::add);
            return page.size();
        });
        return page;
    }

    @Override
    public void catchUp() {
        catchUp.run();
    }

    @Override
    public long lastSeq() {
        return read("SELECT last_seq FROM event_marks WHERE id = 0", st -> { }, rs -> rs.getLong(1)).getFirst();
    }

    @Override
    public long firstKeptSeq() {
        // The mark first: an event committed between the two reads is then the oldest found, never a false gap.
        long last = lastSeq();
        List<Long> oldest = read("SELECT min(seq) FROM events", st -> { }, rs -> rs.getObject(1) == null ? null : rs.getLong(1));
        return oldest.getFirst() != null ? oldest.getFirst() : last + 1;
    }

    @Override
    public int trim(Instant before, long throughSeq) {
        int total = 0;
        int deleted;
        do {
            deleted = (Integer) inTransaction(connection -> {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM events WHERE seq IN (SELECT seq "
                        + "FROM events WHERE seq <= ? AND coalesce(last_seq, seq) <= ? AND at_ms < ? ORDER BY seq LIMIT ?)")) {
                    // A packed row goes once all its events may: its at_ms is its newest event's time.
                    delete.setLong(1, throughSeq);
                    delete.setLong(2, throughSeq);
                    delete.setLong(3, before.toEpochMilli());
                    delete.setInt(4, TRIM_CHUNK);
                    return delete.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == TRIM_CHUNK);
        return total;
    }

    @Override
    public java.util.OptionalLong deliveredThrough(String endpoint) {
        List<Long> found = read("SELECT delivered_through FROM webhook_cursors WHERE endpoint = ?",
                st -> st.setString(1, endpoint), rs -> rs.getLong(1));
        return found.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(found.getFirst());
    }

    @Override
    public void setDeliveredThrough(String endpoint, long seq) {
        inTransaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO webhook_cursors (endpoint, "
                    + "delivered_through) VALUES (?, ?) ON CONFLICT (endpoint) DO UPDATE SET delivered_through = excluded.delivered_through")) {
                upsert.setString(1, endpoint);
                upsert.setLong(2, seq);
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public void deadLetter(String endpoint, long seq, int attempts, String lastError, Instant at) {
        inTransaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO webhook_dead_letters (endpoint, seq, "
                    + "attempts, last_error, at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (endpoint, seq) DO UPDATE SET "
                    + "attempts = excluded.attempts, last_error = excluded.last_error, at_ms = excluded.at_ms")) {
                upsert.setString(1, endpoint);
                upsert.setLong(2, seq);
                upsert.setInt(3, attempts);
                upsert.setString(4, lastError);
                upsert.setLong(5, at.toEpochMilli());
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public List<DeadLetter> deadLetters(String endpoint, int limit) {
        return read("SELECT endpoint, seq, attempts, last_error, at_ms FROM webhook_dead_letters WHERE endpoint = ? "
                + "ORDER BY seq LIMIT ?", st -> {
                    st.setString(1, endpoint);
                    st.setInt(2, limit);
                }, rs -> new DeadLetter(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5))));
    }

    @Override
    public void forgetDeadLetters(String endpoint, long fromSeq) {
        inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM webhook_dead_letters WHERE endpoint = ? AND seq >= ?")) {
                delete.setString(1, endpoint);
                delete.setLong(2, fromSeq);
                return delete.executeUpdate();
            }
        });
    }

    private interface SqlWork {
        Object run(Connection connection) throws SQLException;
    }

    private Object inTransaction(SqlWork work) {
        // Any node's transaction: the rows written here are the event log's own, touched by no other work.
        return store.writeShared(tx -> {
            try {
                return work.run(((SqlWriteTx) tx).connection());
            } catch (SQLException e) {
                throw new StoreException("event log write failed: " + e.getMessage(), e);
            }
        });
    }

    private <T> List<T> read(String sql, SqlReader.Binder binder, SqlReader.RowMapper<T> mapper) {
        return reader.query(sql, binder, mapper);
    }
}
