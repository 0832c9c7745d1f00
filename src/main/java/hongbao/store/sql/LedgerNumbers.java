package hongbao.store.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The ledger's numbers for one write transaction, shared by transfers rows and the claims that carry their credit, and
 * taken in the order the movements are applied, so that a wallet's statement lists them in that order. SQLite has one
 * writer: its last number is read once and written back at flush. PostgreSQL's writers share a sequence, drawn from in
 * blocks so that a batch of opens costs a round trip per block, not per open; numbers drawn before the transaction
 * locked another account are dropped, so a movement always numbers after every movement of its accounts that
 * committed before it (a gap in the numbers is harmless; an inversion would break a statement's balance chain).
 */
final class LedgerNumbers {
    private static final int FIRST_BLOCK = 64;
    private static final int LARGEST_BLOCK = 8192;
    private final TxStatements st;
    private final Deque<Long> drawn = new ArrayDeque<>();
    private int nextBlock = FIRST_BLOCK;
    /** SQLite: the last number taken, and the last one written back; -1 until read. */
    private long last = -1;
    private long writtenBack = -1;

    LedgerNumbers(TxStatements st) {
        this.st = st;
    }

    long next() throws SQLException {
        if (st.isPostgres()) {
            if (drawn.isEmpty()) {
                draw();
            }
            return drawn.removeFirst();
        }
        if (last < 0) {
            last = readLast();
            writtenBack = last;
        }
        return ++last;
    }

    /** The transaction has just locked an account: numbers drawn before may be older than that account's last one. */
    void accountLocked() {
        drawn.clear();
        nextBlock = FIRST_BLOCK;
    }

    /** SQLite: writes the last number taken back, before the rows holding it are sent. */
    void writeBack() throws SQLException {
        if (last > writtenBack) {
            PreparedStatement update = st.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'transfers'");
            update.setLong(1, last);
            if (update.executeUpdate() != 1) {
                throw new SQLException("sqlite_sequence has no row for transfers");
            }
            writtenBack = last;
        }
    }

    private long readLast() throws SQLException {
        PreparedStatement query = st.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'transfers'");
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("sqlite_sequence has no row for transfers");
            }
            return rs.getLong(1);
        }
    }

    private void draw() throws SQLException {
        PreparedStatement query = st.prepare("SELECT nextval('ledger_seq') FROM generate_series(1, ?)");
        query.setInt(1, nextBlock);
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                drawn.add(rs.getLong(1));
            }
        }
        nextBlock = Math.min(LARGEST_BLOCK, nextBlock * 2);
    }
}
