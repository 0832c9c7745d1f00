package hongbao.store.sql;

import hongbao.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of one write transaction, shared by its aggregates' SQL: each prepared once, inserts sent in JDBC
 * batches when the transaction flushes (before commit, and before a read that must see them).
 */
public final class TxStatements {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Integer> pendingBatches = new HashMap<>();
    /** What runs first at every flush: writes held back until then, such as the ledger's balances. */
    private final List<SqlWork<Void>> beforeFlush = new ArrayList<>();
    private Boolean postgres;

    public TxStatements(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    void beforeFlush(SqlWork<Void> work) {
        beforeFlush.add(work);
    }

    /** Sends every pending batch; called before commit and before any read that must see them. */
    public void flush() throws SQLException {
        for (SqlWork<Void> work : beforeFlush) {
            work.run();
        }
        for (Map.Entry<String, Integer> pending : pendingBatches.entrySet()) {
            int[] counts = statements.get(pending.getKey()).executeBatch();
            for (int count : counts) {
                // Every batched statement changes exactly one row; anything else means a lost update, so fail.
                if (count != 1 && count != java.sql.Statement.SUCCESS_NO_INFO) {
                    throw new SQLException("a batched write changed " + count + " rows: " + pending.getKey());
                }
            }
        }
        pendingBatches.clear();
    }

    public void closeStatements() throws SQLException {
        for (PreparedStatement statement : statements.values()) {
            statement.close();
        }
    }

    boolean isPostgres() throws SQLException {
        if (postgres == null) {
            postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        }
        return postgres;
    }

    void addBatch(String sql, PreparedStatement statement) throws SQLException {
        statement.addBatch();
        pendingBatches.merge(sql, 1, Integer::sum);
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    static void setNullableMillis(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, at.toEpochMilli());
        }
    }

    interface SqlWork<T> {
        T run() throws SQLException;
    }

    static <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new StoreException("write failed: " + e.getMessage(), e);
        }
    }
}
