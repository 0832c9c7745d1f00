package hongbao.store.journal;

import hongbao.store.Fenced;
import hongbao.store.CommitOutcomeUnknown;
import hongbao.store.DatabaseBehind;
import hongbao.store.Failpoint;
import hongbao.store.StoreException;
import hongbao.store.sql.WriteConnection;

import hongbao.domain.Crediting;
import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * The durable record of acknowledged opens. A batch of opens is one appended transaction whose rows go at the end of
 * the key order, so an open costs a sequential append instead of the random page writes of claims, transfers,
 * balances and packets. Entries stay here, and in memory as pending, until {@link JdbcStore} derives those tables
 * from them. Appends take turns, so op order is commit order is pending order, and derivation always takes a prefix.
 */
public final class OpenJournal implements AutoCloseable {
    /** Codes of the crediting column: what the derivation will do with the claim's money. */
    private static final int LATER = 0;
    private static final int NOW = 1;
    private static final int VIA_OUTBOX = 2;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT = "INSERT INTO open_journal (op, packet_id, seq, user_id, amount, at_ms, crediting, "
            + "opened_amount, finished) VALUES " + ROW;
    /** 9 parameters a row: 900 a statement, well under SQLite's and PostgreSQL's limits. */
    private static final int ROWS_PER_INSERT = 100;

    private final WriteConnection writer;
    private final SetLayout layout;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ArrayDeque<JournaledOpen> pending = new ArrayDeque<>();
    private long lastOp;
    /**
     * The newest op of a batch this process saw committed (appended, or found after an unknown outcome): the journal's
     * newest entry is never behind it (trimming keeps the newest), unless the database went back in time. Not what
     * was found at start: a journal replaced empty after a clean close, or sealed in a backup, starts from a floor.
     */
    private long acknowledgedOp;
    private long trimmedThrough;
    /**
     * A batch whose COMMIT failed and whose rows could not be looked for afterwards: the journal may hold it or not.
     * Until that is learned, no later batch joins pending and nothing is derived (see {@link #settleUncertain}).
     */
    private volatile List<JournaledOpen> uncertain = List.of();
    private volatile LongConsumer derivationLag = nanos -> { };

    public OpenJournal(WriteConnection writer, SetLayout layout) {
        this.writer = writer;
        this.layout = layout;
    }

    /** SQLite keeps the journal in a file of its own, so that appending never waits for the derived tables' writer. */
    public static void createSqliteTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS open_journal (op INTEGER PRIMARY KEY, packet_id INTEGER NOT NULL, "
                    + "seq INTEGER NOT NULL, user_id TEXT NOT NULL, amount INTEGER NOT NULL, at_ms INTEGER NOT NULL, "
                    + "crediting INTEGER NOT NULL, opened_amount INTEGER NOT NULL, finished INTEGER NOT NULL)");
        }
    }

    /**
     * An entry waiting to be derived.
     *
     * @param journaledNanos when its batch was durable ({@link System#nanoTime}; recovery's time for recovered entries):
     *     where the time from acknowledgement to derived row is counted from
     */
    public record JournaledOpen(long op, PacketRules.Opened opened, long journaledNanos) {
    }

    /** Appends the opens in one transaction, durable when this returns; they are then pending derivation. */
    public void append(List<PacketRules.Opened> opens) {
        appendLock.lock();
        try {
            settleUncertain();
            List<JournaledOpen> entries = new ArrayList<>(opens.size());
            long op = lastOp;
            for (PacketRules.Opened opened : opens) {
                entries.add(new JournaledOpen(++op, opened, 0));
            }
            try {
                insert(entries);
            } catch (Fenced | DatabaseBehind refused) {
                // Both are refused as the transaction begins, before any row is written: nothing to look for.
                throw refused;
            } catch (StoreException failure) {
                // A commit can fail after it took effect (a connection lost on its way back). Rows the database kept
                // must be pending like any others, or the engine would give their shares out a second time.
                boolean kept;
                try {
                    kept = held(entries);
                } catch (StoreException unknown) {
                    // Nor can we look: saying "not applied" would let the engine give these shares again and an expiry
                    // refund them while the journal may hold them, and the next start could not replay them. So the
                    // caller learns the outcome is unknown, and the batch is settled before anything else goes on.
                    failure.addSuppressed(unknown);
                    // Their ops are never reused: rows that show up late must not pass for another batch's.
                    lastOp = op;
                    uncertain = entries;
                    throw new CommitOutcomeUnknown(failure);
                }
                if (!kept) {
                    throw failure;
                }
            }
            Failpoint.hit(Failpoint.JOURNAL_APPENDED);
            lastOp = op;
            acknowledgedOp = op;
            long durable = System.nanoTime();
            synchronized (pending) {
                entries.forEach(entry -> pending.add(new JournaledOpen(entry.op(), entry.opened(), durable)));
            }
        } finally {
            appendLock.unlock();
        }
    }

    private void insert(List<JournaledOpen> entries) {
        inTransaction(connection -> {
            requireNotBehind(connection);
            for (int from = 0; from < entries.size(); from += ROWS_PER_INSERT) {
                List<JournaledOpen> chunk = entries.subList(from, Math.min(entries.size(), from + ROWS_PER_INSERT));
                try (PreparedStatement insert = connection.prepareStatement(insertOf(chunk.size()))) {
                    int column = 0;
                    for (JournaledOpen entry : chunk) {
                        column = bind(insert, column, entry);
                    }
                    insert.executeUpdate();
                }
            }
        });
    }

    /**
     * Refuses to append to a journal whose newest entry is older than a batch this node saw committed: the entries
     * between are lost, and the engine's packets (which hold them) no longer match the database.
     */
    private void requireNotBehind(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(op), 0) FROM open_journal")) {
            rs.next();
            long newest = rs.getLong(1);
            if (newest < acknowledgedOp) {
                throw new DatabaseBehind("the journal's newest entry", newest, acknowledgedOp);
            }
        }
    }

    /**
     * Whether a failed batch's rows are in the journal after all (one transaction: all of them or none); throws when
     * the journal cannot be asked.
     */
    private boolean held(List<JournaledOpen> entries) {
        long[] found = new long[1];
        inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT COUNT(*) FROM open_journal WHERE op >= ? AND op <= ?")) {
                query.setLong(1, entries.getFirst().op());
                query.setLong(2, entries.getLast().op());
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    found[0] = rs.getLong(1);
                }
            }
        });
        return found[0] == entries.size();
    }

    /**
     * Learns whether the batch of an append whose outcome was unknown is in the journal: pending if it is, forgotten
     * if not. Runs before every derivation and append, and throws as long as the journal cannot tell: deriving past
     * an open the journal may hold (an expiry refunding its share) would leave a journal the next start cannot replay.
     */
    public void settleUncertain() {
        if (uncertain.isEmpty()) {
            return;
        }
        appendLock.lock();
        try {
            List<JournaledOpen> batch = uncertain;
            if (batch.isEmpty()) {
                return;
            }
            if (held(batch)) {
                long learned = System.nanoTime();
                synchronized (pending) {
                    batch.forEach(entry -> pending.add(new JournaledOpen(entry.op(), entry.opened(), learned)));
                }
                acknowledgedOp = Math.max(acknowledgedOp, batch.getLast().op());
            }
            uncertain = List.of();
        } finally {
            appendLock.unlock();
        }
    }

    /** One statement for many rows: the per-row cost of a statement (a step, on SQLite a native call) is paid once. */
    private static String insertOf(int rows) {
        return INSERT + (", " + ROW).repeat(rows - 1);
    }

    /** Binds one row after {@code column} bound parameters; returns the parameters bound after it. */
    private int bind(PreparedStatement insert, int column, JournaledOpen entry) throws SQLException {
        PacketRules.Opened opened = entry.opened();
        insert.setLong(column + 1, entry.op());
        insert.setLong(column + 2, opened.claim().packetId());
        insert.setInt(column + 3, opened.claim().seq());
        insert.setString(column + 4, opened.claim().userId());
        insert.setLong(column + 5, opened.claim().amount());
        insert.setLong(column + 6, opened.claim().claimedAt().toEpochMilli());
        insert.setInt(column + 7, creditingCode(opened, layout));
        insert.setLong(column + 8, opened.after().openedAmount());
        insert.setInt(column + 9, opened.after().finishedAt() == null ? 0 : 1);
        return column + 9;
    }

    /** The journal's crediting column for an open: 0 once paid, 1 now, 2 through the outbox. */
    public static int creditingCode(PacketRules.Opened opened, SetLayout layout) {
        return switch (Crediting.of(opened.after(), opened.claim(), layout)) {
            case Crediting.Later later -> LATER;
            case Crediting.Now now -> NOW;
            case Crediting.ViaOutbox outbox -> VIA_OUTBOX;
        };
    }

    /** Every pending entry, oldest first. */
    public List<JournaledOpen> pending() {
        return pending(Integer.MAX_VALUE);
    }

    /** The oldest pending entries, at most {@code limit} of them, oldest first: a prefix to derive in one slice. */
    public List<JournaledOpen> pending(int limit) {
        synchronized (pending) {
            List<JournaledOpen> oldest = new ArrayList<>(Math.min(limit, pending.size()));
            for (JournaledOpen entry : pending) {
                if (oldest.size() == limit) {
                    break;
                }
                oldest.add(entry);
            }
            return oldest;
        }
    }

    /**
     * Waits until the {@link #backlog} is under {@code max} (a derivation that commits makes room), at most
     * {@code timeout}; true if it is.
     */
    public boolean awaitBacklogUnder(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pending) {
            while (backlog() >= max) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                pending.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Told, for each entry whose derived rows commit, the nanoseconds since it was durable in the journal. */
    public void watchDerivationLag(LongConsumer ackToDerivedNanos) {
        derivationLag = ackToDerivedNanos;
    }

    /** Drops the pending entries through {@code op}: their derived rows are committed. */
    public void derivedThrough(long op) {
        long now = System.nanoTime();
        LongConsumer lag = derivationLag;
        synchronized (pending) {
            while (!pending.isEmpty() && pending.getFirst().op() <= op) {
                lag.accept(now - pending.removeFirst().journaledNanos());
            }
            pending.notifyAll();
        }
    }

    public long trimmedThrough() {
        appendLock.lock();
        try {
            return trimmedThrough;
        } finally {
            appendLock.unlock();
        }
    }

    /** Pending entries, and those of an append not yet known to be kept or lost (reads then catch up and settle it). */
    public int backlog() {
        synchronized (pending) {
            return pending.size() + uncertain.size();
        }
    }

    /**
     * On start: loads the entries after {@code derivedThrough} as pending. Each is replayed through the open rule on
     * its packet as derived so far, and must give the same share the journal holds, or the store refuses to start.
     */
    public void recover(long derivedThrough, LongFunction<Optional<Packet>> derivedPacket) {
        appendLock.lock();
        try {
            Map<Long, Packet> working = new HashMap<>();
            List<JournaledOpen> recovered = new ArrayList<>();
            long[] newest = {derivedThrough};
            inTransaction(connection -> {
                try (PreparedStatement query = connection.prepareStatement("SELECT op, packet_id, seq, user_id, amount, at_ms, "
                        + "crediting FROM open_journal WHERE op > ? ORDER BY op")) {
                    query.setLong(1, derivedThrough);
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            recovered.add(replay(rs, working, derivedPacket));
                            newest[0] = rs.getLong(1);
                        }
                    }
                }
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(op), 0) FROM open_journal")) {
                    rs.next();
                    newest[0] = Math.max(newest[0], rs.getLong(1));
                }
            });
            // Ops already derived and trimmed are never reused: recovery tells entries apart by op alone.
            lastOp = newest[0];
            trimmedThrough = derivedThrough;
            synchronized (pending) {
                pending.clear();
                pending.addAll(recovered);
            }
        } finally {
            appendLock.unlock();
        }
    }

    private JournaledOpen replay(ResultSet row, Map<Long, Packet> working, LongFunction<Optional<Packet>> derivedPacket)
            throws SQLException {
        long op = row.getLong(1);
        long packetId = row.getLong(2);
        Packet packet = working.get(packetId);
        if (packet == null) {
            packet = derivedPacket.apply(packetId).orElseThrow(
                    () -> new StoreException("journal entry " + op + " opens packet " + packetId + ", which is not stored", null));
        }
        PacketRules.OpenResult result = PacketRules.open(packet, row.getString(4), false,
                Instant.ofEpochMilli(row.getLong(6)), layout);
        if (!(result instanceof PacketRules.Opened opened) || opened.claim().seq() != row.getInt(3)
                || opened.claim().amount() != row.getLong(5) || creditingCode(opened, layout) != row.getInt(7)) {
            throw new StoreException("journal entry " + op + " does not replay on packet " + packetId + " as it was "
                    + "written (" + result + "); the journal and the derived tables disagree", null);
        }
        working.put(packetId, opened.after());
        return new JournaledOpen(op, opened, System.nanoTime());
    }

    /**
     * Deletes entries whose derived rows are committed; a crash before this only leaves rows that recovery skips. The
     * newest entry stays, derived or not: the journal's highest op then never falls behind what the tables derived,
     * which is how a journal that lost its last appends is told from one merely trimmed (see JournalBinding).
     */
    public void trim(long derivedThrough) {
        appendLock.lock();
        try {
            if (derivedThrough <= trimmedThrough) {
                return;
            }
            inTransaction(connection -> {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM open_journal WHERE op <= ? "
                        + "AND op < (SELECT MAX(op) FROM open_journal)")) {
                    delete.setLong(1, derivedThrough);
                    delete.executeUpdate();
                }
            });
            trimmedThrough = derivedThrough;
        } finally {
            appendLock.unlock();
        }
    }

    private interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        Connection connection;
        try {
            connection = writer.acquire();
        } catch (SQLException e) {
            throw new StoreException("no journal connection: " + e.getMessage(), e);
        }
        try {
            execute(connection, writer.beginStatement());
            try {
                writer.begun(connection);
                work.run(connection);
                execute(connection, "COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    execute(connection, "ROLLBACK");
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("journal write failed: " + e.getMessage(), e);
        } finally {
            try {
                writer.release(connection);
            } catch (SQLException e) {
                throw new StoreException("cannot release the journal connection", e);
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
