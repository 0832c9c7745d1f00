package hongbao.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import hongbao.domain.AuditReport;
import hongbao.domain.LedgerAudit;
import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
import hongbao.store.sql.SqlTransactions;
import hongbao.store.sql.PacketRows;
import hongbao.store.Store;
import hongbao.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The designs the seed rejects: one database transaction per open, fighting over the packet row.
 * <ul>
 * <li>pessimistic: lock the packet row first (SQLite {@code BEGIN IMMEDIATE}; {@code SELECT … FOR UPDATE}
 * elsewhere), then write the claim, the transfer and the packet;</li>
 * <li>optimistic: read the packet without a lock, then update it only if its version (opened_count) is unchanged,
 * retrying on conflict.</li>
 * </ul>
 * Both write exactly the rows the engine writes.
 */
final class LockingDesign implements Design {
    private static final int MAX_ATTEMPTS = 100;

    private final Store store;
    private final HikariDataSource pool;
    private final Clock clock;
    private final boolean optimistic;
    private final AtomicLong retries = new AtomicLong();
    private final String lockingBegin;
    private final String forUpdate;

    LockingDesign(BenchDatabase database, Clock clock, boolean optimistic, int connections) {
        this.store = database.store;
        this.clock = clock;
        this.optimistic = optimistic;
        this.lockingBegin = database.lockingBegin;
        this.forUpdate = database.forUpdate;
        HikariConfig config = new HikariConfig();
        config.setDataSource(database.connections);
        config.setMaximumPoolSize(connections);
        config.setPoolName(name());
        this.pool = new HikariDataSource(config);
    }

    @Override
    public String name() {
        return optimistic ? "optimistic" : "pessimistic";
    }

    /** A lost version race: the transaction is rolled back and the open tried again. */
    private static final class Conflict extends RuntimeException {
        Conflict() {
            super("version changed", null, false, false);
        }
    }

    @Override
    public Outcome open(long packetId, String userId) {
        try (Connection connection = pool.getConnection()) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                try {
                    return optimistic ? openOptimistically(connection, packetId, userId)
                            : openPessimistically(connection, packetId, userId);
                } catch (Conflict conflict) {
                    retries.incrementAndGet();
                }
            }
            return Outcome.FAILED;
        } catch (SQLException | StoreException e) {
            return Outcome.FAILED;
        }
    }

    private Outcome openPessimistically(Connection connection, long packetId, String userId) {
        return SqlTransactions.inExplicitTransaction(connection, lockingBegin, tx -> {
            Packet packet = read(connection, packetId, forUpdate);
            PacketRules.OpenResult result = PacketRules.open(packet, userId, claimed(connection, packetId, userId), clock.instant(),
                    SetLayout.ONE_SET);
            if (!(result instanceof PacketRules.Opened opened)) {
                return Outcome.REFUSED;
            }
            tx.recordOpen(opened, SetLayout.ONE_SET);
            tx.updatePacketProgress(opened.after());
            return Outcome.ACK;
        });
    }

    private Outcome openOptimistically(Connection connection, long packetId, String userId) {
        Packet seen = read(connection, packetId, "");
        boolean claimed = claimed(connection, packetId, userId);
        PacketRules.OpenResult result = PacketRules.open(seen, userId, claimed, clock.instant(), SetLayout.ONE_SET);
        if (!(result instanceof PacketRules.Opened opened)) {
            return Outcome.REFUSED;
        }
        return SqlTransactions.inExplicitTransaction(connection, "BEGIN", tx -> {
            if (!updateIfUnchanged(connection, seen, opened.after())) {
                throw new Conflict();
            }
            tx.recordOpen(opened, SetLayout.ONE_SET);
            return Outcome.ACK;
        });
    }

    private static Packet read(Connection connection, long packetId, String lock) {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets WHERE packet_id = ?" + lock)) {
            st.setLong(1, packetId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no packet " + packetId);
                }
                return PacketRows.packet(rs);
            }
        } catch (SQLException e) {
            throw new StoreException("read failed", e);
        }
    }

    private static boolean claimed(Connection connection, long packetId, String userId) {
        try (PreparedStatement st = connection.prepareStatement("SELECT 1 FROM claims WHERE packet_id = ? AND user_id = ?")) {
            st.setLong(1, packetId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreException("read failed", e);
        }
    }

    private static boolean updateIfUnchanged(Connection connection, Packet seen, Packet after) {
        try (PreparedStatement st = connection.prepareStatement("UPDATE packets SET status = ?, finished_ms = ?, "
                + "opened_count = ?, opened_amount = ? WHERE packet_id = ? AND opened_count = ?")) {
            st.setString(1, after.status().name());
            if (after.finishedAt() == null) {
                st.setNull(2, java.sql.Types.BIGINT);
            } else {
                st.setLong(2, after.finishedAt().toEpochMilli());
            }
            st.setInt(3, after.openedCount());
            st.setLong(4, after.openedAmount());
            st.setLong(5, seen.id());
            st.setInt(6, seen.openedCount());
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("update failed", e);
        }
    }

    @Override
    public boolean needsPlatformThreads() {
        return true;
    }

    @Override
    public long retries() {
        return retries.get();
    }

    @Override
    public AuditReport audit() {
        return LedgerAudit.evaluate(store.auditFacts());
    }

    @Override
    public void close() {
        pool.close();
    }
}
