package hongbao.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What any write of a node to a SET's database would change, read on one server: the journal's newest op, the claims
 * and transfers, the lease row (renewed every few seconds by its owner) and PostgreSQL's own count of rows inserted,
 * updated and deleted since it started. Equal before and after: nobody wrote to it. Its WAL position is kept for the
 * report only: the server writes some WAL of its own (a standby snapshot 15 s after it starts).
 */
public record ServerWrites(long journalOps, long claims, long transfers, String lease, long rowsWritten, String walLsn) {

    public static ServerWrites of(ReplicatedPostgres.Server server, String database) throws SQLException {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT (SELECT COALESCE(MAX(op), 0) FROM open_journal), "
                        + "(SELECT COUNT(*) FROM claims), (SELECT COUNT(*) FROM transfers), "
                        + "(SELECT epoch || ' ' || owner || ' ' || expires_at FROM set_lease), "
                        + "(SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables), "
                        + "pg_current_wal_lsn()")) {
            rs.next();
            return new ServerWrites(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                    rs.getString(6));
        }
    }

    /** The same, its WAL position aside. */
    public boolean sameRows(ServerWrites other) {
        return journalOps == other.journalOps && claims == other.claims && transfers == other.transfers
                && lease.equals(other.lease) && rowsWritten == other.rowsWritten;
    }
}
