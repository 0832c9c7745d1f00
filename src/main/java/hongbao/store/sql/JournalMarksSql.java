package hongbao.store.sql;

import hongbao.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import static hongbao.store.sql.TxStatements.sql;

/** The marks a SET's tables keep of their place in the layout and of how far the journal is derived. */
public final class JournalMarksSql {
    private final TxStatements st;

    public JournalMarksSql(TxStatements st) {
        this.st = st;
    }

    /** Records the database's SET on first start; refuses a database that belongs elsewhere in the layout. */
    public void claimPlacement(SetPlacement placement) throws SQLException {
        PreparedStatement query = st.prepare("SELECT set_index, set_count, shards FROM set_placement");
        try (ResultSet rs = query.executeQuery()) {
            if (rs.next()) {
                SetPlacement recorded = new SetPlacement(new hongbao.domain.SetLayout(rs.getInt(3), rs.getInt(2)), rs.getInt(1));
                if (!recorded.equals(placement)) {
                    throw new StoreException("this database is " + recorded.describe() + ", but the configuration makes it "
                            + placement.describe() + "; list the stores in their original order and keep --shards", null);
                }
                return;
            }
        }
        PreparedStatement insert = st.prepare("INSERT INTO set_placement (set_index, set_count, shards) VALUES (?, ?, ?)");
        insert.setInt(1, placement.index());
        insert.setInt(2, placement.layout().sets());
        insert.setInt(3, placement.layout().shards());
        insert.executeUpdate();
    }

    /** Journal entries up to this op are derived, by this transaction or before it. */
    /**
     * How far the journal is derived, as committed: read first in a deriving transaction, locking the mark, so that it
     * waits for a transaction that still holds it (a COMMIT whose answer was lost) and sees that one's outcome.
     */
    public long lockDerivedThrough() {
        return sql(() -> {
            PreparedStatement select = st.prepare("SELECT derived_through FROM journal_marks WHERE id = 0"
                    + (st.isPostgres() ? " FOR UPDATE" : ""));
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("journal_marks has no row");
                }
                return rs.getLong(1);
            }
        });
    }

    /** Rewrites the journal's mark unchanged: a write that needs the disk and the lease, for a readiness probe. */
    public void touchJournalMarks() {
        sql(() -> st.prepare("UPDATE journal_marks SET derived_through = derived_through WHERE id = 0").executeUpdate());
    }

    public void markDerivedThrough(long op) {
        sql(() -> {
            PreparedStatement update = st.prepare("UPDATE journal_marks SET derived_through = ? WHERE id = 0 AND derived_through < ?");
            update.setLong(1, op);
            update.setLong(2, op);
            if (update.executeUpdate() != 1) {
                throw new SQLException("journal entries through " + op + " were derived already");
            }
            return null;
        });
    }
}
