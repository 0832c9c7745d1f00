package hongbao.store.jdbc;

import hongbao.store.CampaignTotals;
import hongbao.store.CommitOutcomeUnknown;
import hongbao.store.DirectoryChange;
import hongbao.store.DirectoryChanges;
import hongbao.store.DirectoryFeed;
import hongbao.store.Failpoint;
import hongbao.store.Group;
import hongbao.store.NotOwnedHere;
import hongbao.store.OpenidBinding;
import hongbao.store.ReceivedClaim;
import hongbao.store.ReconcileJob;
import hongbao.store.RecordTotals;
import hongbao.store.RefundDue;
import hongbao.store.Store;
import hongbao.store.StoreException;
import hongbao.store.StoredAnswer;
import hongbao.store.StoredPacket;
import hongbao.store.User;
import hongbao.store.WalletEntry;
import hongbao.store.WriteTx;
import hongbao.store.journal.OpenJournal;
import hongbao.store.sql.AuditQueries;
import hongbao.store.sql.CampaignRows;
import hongbao.store.sql.MerchantRows;
import hongbao.store.sql.PacketRows;
import hongbao.store.sql.SetPlacement;
import hongbao.store.sql.SqlWriteTx;
import hongbao.store.sql.WriteConnection;

import hongbao.domain.Accounts;
import hongbao.domain.AuditFacts;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.Merchant;
import hongbao.domain.RedpackBill;
import hongbao.domain.Claim;
import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.PacketStatus;
import hongbao.domain.SetLayout;
import hongbao.domain.PacketIds;
import hongbao.domain.Records;
import hongbao.domain.PayStatus;
import hongbao.domain.TransferKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/** The {@link Store} in SQL common to SQLite and PostgreSQL; the adapters only say how to connect. */
public final class JdbcStore implements Store {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JdbcStore.class);
    /**
     * How long a direct write waits for the one before it: as long as a database connection is waited for, so that a
     * write stuck on a silent database holds up the others no longer than it would have waited itself.
     */
    public static final java.time.Duration DIRECT_WRITE_WAIT = java.time.Duration.ofSeconds(3);
    /**
     * Past this many entries waiting for derivation, an append derives them first: the backlog stays bounded (and so
     * does the time a read or a direct write spends catching up) however long a storm lasts.
     */
    public static final int JOURNAL_BACKLOG_MAX = 50_000;
    /** Trimming costs a commit of its own on the journal, so it waits for this many derived entries. */
    public static final int TRIM_EVERY = 4_096;

    /** False for a SET another node owns (see {@link #visiting}). */
    private final boolean owned;
    private final int set;
    private final WriteConnection writer;
    private final OpenJournal journal;
    private final WritePath writePath;
    private final SetLayout layout;
    /**
     * Direct writes of this SET take turns (SQLite's writer already does; on PostgreSQL it keeps two transactions
     * from deriving the same journal entries or locking accounts in two orders).
     */
    private final ReentrantLock directWrites = new ReentrantLock();
    /** Set by a write or journal append that failed, cleared by one that committed: {@link #ping} then probes. */
    private volatile boolean commitsFailing;
    /**
     * Set while this thread runs a write on any SET: reads inside it do not catch up, which would start a second write
     * on this SET's writer or take another SET's writer while holding one (two threads doing that crosswise deadlock).
     */
    private static final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> false);
    private volatile long derivedThrough;
    private final int trimEvery;
    private final DataSource readers;
    private final AutoCloseable readersLifecycle;
    private final Consumer<Instant> maintenance;
    private final DirectoryFeed directoryFeed;

    /** A store that only this process writes to: it learns of directory changes from its own commits alone. */
    public JdbcStore(WriteConnection writer, WriteConnection journalWriter, WritePath writePath, DataSource readers,
            AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement) {
        this(writer, journalWriter, writePath, readers, readersLifecycle, maintenance, placement, TRIM_EVERY);
    }

    /**
     * @param trimEvery how many derived entries the journal keeps before they are trimmed ({@link #TRIM_EVERY}); the
     *     simulation's runs are short, and trim only after a few
     */
    public JdbcStore(WriteConnection writer, WriteConnection journalWriter, WritePath writePath, DataSource readers,
            AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement, int trimEvery) {
        this(writer, journalWriter, writePath, readers, readersLifecycle, maintenance, placement, new DirectoryFeed(),
                trimEvery);
    }

    /** @param directoryFeed also told of other processes' changes, by whatever {@code readersLifecycle} closes */
    public JdbcStore(WriteConnection writer, WriteConnection journalWriter, WritePath writePath, DataSource readers,
            AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement, DirectoryFeed directoryFeed) {
        this(writer, journalWriter, writePath, readers, readersLifecycle, maintenance, placement, directoryFeed, TRIM_EVERY);
    }

    private JdbcStore(WriteConnection writer, WriteConnection journalWriter, WritePath writePath, DataSource readers,
            AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement, DirectoryFeed directoryFeed,
            int trimEvery) {
        this(true, writer, journalWriter, writePath, readers, readersLifecycle, maintenance, placement, directoryFeed,
                trimEvery);
        write(tx -> {
            SqlWriteTx sqlTx = (SqlWriteTx) tx;
            try {
                sqlTx.claimPlacement(placement);
                sqlTx.ensureAccount(Accounts.EXTERNAL);
                for (int shard = 0; shard < placement.layout().shards(); shard++) {
                    if (placement.layout().setOfShard(shard) == placement.index()) {
                        sqlTx.ensureAccount(Accounts.escrow(shard));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("cannot create system accounts", e);
            }
            return null;
        });
        derivedThrough = query("SELECT derived_through FROM journal_marks", st -> { }, rs -> rs.getLong(1)).getFirst();
        journal.recover(derivedThrough, packetId -> packetAsDerived(packetId).map(StoredPacket::packet));
        catchUp();
    }

    private JdbcStore(boolean owned, WriteConnection writer, WriteConnection journalWriter, WritePath writePath,
            DataSource readers, AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement,
            DirectoryFeed directoryFeed, int trimEvery) {
        this.owned = owned;
        this.trimEvery = trimEvery;
        this.directoryFeed = directoryFeed;
        this.set = placement.index();
        this.writer = writer;
        this.writePath = writePath;
        this.layout = placement.layout();
        this.journal = new OpenJournal(journalWriter, layout);
        this.readers = readers;
        this.readersLifecycle = readersLifecycle;
        this.maintenance = maintenance;
    }

    /**
     * A SET another node owns, as this node sees it: reads of its derived tables (which may lag the owner's journal by
     * a derivation pass) and shared writes ({@link #writeShared}); the owner's work throws {@link NotOwnedHere}.
     */
    public static JdbcStore visiting(WriteConnection writer, DataSource readers, AutoCloseable readersLifecycle,
            SetPlacement placement, DirectoryFeed directoryFeed) {
        return new JdbcStore(false, writer, writer, WritePath.JOURNAL, readers, readersLifecycle, now -> { }, placement,
                directoryFeed, TRIM_EVERY);
    }

    /** Creates the journal's table in a SQLite file of its own (the service's, or a test's). */
    public static void createJournalTable(Connection sqliteConnection) {
        try {
            OpenJournal.createSqliteTable(sqliteConnection);
        } catch (SQLException e) {
            throw new StoreException("cannot create the journal table", e);
        }
    }

    /** Which path an acknowledged open takes to disk. */
    public enum WritePath {
        /** Appended to the journal; claims, transfers, balances and packet progress derived later, in large batches. */
        JOURNAL,
        /** Written straight into those tables in the batch's transaction: the layout before the journal, kept for the benchmark. */
        TABLES
    }

    /**
     * A write transaction. It first derives every journal entry pending at its start, in the same transaction, so the
     * derived tables it reads and changes are always a prefix of history: a send never sees a balance that lacks an
     * acknowledged open's credit, and the audit never sees half of one.
     */
    @Override
    public <T> T write(Function<WriteTx, T> work) {
        requireOwned();
        writer.requireHeld();
        lockDirectWrites();
        try {
            return asWriter(() -> deriveThen(work));
        } finally {
            directWrites.unlock();
        }
    }

    private void lockDirectWrites() {
        try {
            if (!directWrites.tryLock(DIRECT_WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreException("SET " + set + ": the write before this one has not finished in "
                        + DIRECT_WRITE_WAIT.toSeconds() + " s; its database may be unreachable", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to write to SET " + set, e);
        }
    }

    /**
     * A write any node may make: row-locked and commutative with the owner's work (directory rows, bank references,
     * idempotent answers, credits arriving from other SETs). On the owner it is an ordinary write.
     */
    @Override
    public <T> T writeShared(Function<WriteTx, T> work) {
        if (owned) {
            return write(work);
        }
        return asWriter(() -> transaction(work));
    }

    private void requireOwned() {
        if (!owned) {
            throw new NotOwnedHere(set);
        }
    }

    /** Runs a write on this thread, marked as one for the reads it makes (see {@link #writing}). */
    private static <T> T asWriter(java.util.function.Supplier<T> write) {
        boolean outermost = !writing.get();
        writing.set(true);
        try {
            return write.get();
        } finally {
            if (outermost) {
                writing.set(false);
            }
        }
    }

    /**
     * Derives what is pending, then does the work, in one transaction; the caller holds {@link #directWrites}. What is
     * pending is taken from the mark as committed, not from memory: a COMMIT that failed may have taken effect (its
     * answer lost on the way back), and deriving its entries a second time would pay their shares twice.
     */
    private <T> T deriveThen(Function<WriteTx, T> work) {
        journal.settleUncertain();
        long[] derivedNow = {0};
        T result = transaction(tx -> {
            List<OpenJournal.JournaledOpen> due = journal.backlog() == 0 ? List.of() : dueAfterMark((SqlWriteTx) tx);
            if (!due.isEmpty()) {
                derive(tx, due.stream().map(OpenJournal.JournaledOpen::opened).toList(), true);
                ((SqlWriteTx) tx).markDerivedThrough(due.getLast().op());
                derivedNow[0] = due.getLast().op();
            }
            return work.apply(tx);
        });
        if (derivedNow[0] > 0) {
            journal.derivedThrough(derivedNow[0]);
            derivedThrough = derivedNow[0];
        }
        return result;
    }

    /** The pending entries after the committed mark; those through it were derived by a COMMIT that failed after all. */
    private List<OpenJournal.JournaledOpen> dueAfterMark(SqlWriteTx tx) {
        long mark = tx.lockDerivedThrough();
        if (mark > derivedThrough) {
            log.warn("SET {}: journal entries through {} were derived by a transaction whose COMMIT seemed to fail; "
                    + "continuing after them", set, mark);
            journal.derivedThrough(mark);
            derivedThrough = mark;
        }
        return journal.pending();
    }

    /**
     * What a batch of opens writes into the derived tables: claims, credits (or outbox rows), and each packet's
     * progress once. The accounts are locked first, in one order.
     */
    private void derive(WriteTx tx, List<PacketRules.Opened> opens, boolean failpoint) {
        SortedSet<String> accounts = new TreeSet<>();
        for (PacketRules.Opened opened : opens) {
            accounts.add(Accounts.escrow(opened.after().shard()));
            if (layout.sameSet(opened.after().id(), opened.claim().userId())) {
                accounts.add(Accounts.wallet(opened.claim().userId()));
            }
        }
        tx.lockAccounts(accounts);
        Map<Long, Packet> progress = new LinkedHashMap<>();
        int half = opens.size() / 2;
        for (int i = 0; i < opens.size(); i++) {
            if (failpoint && i == half && half > 0) {
                Failpoint.hit(Failpoint.MID_DERIVATION);
            }
            PacketRules.Opened opened = opens.get(i);
            tx.recordOpen(opened, layout);
            progress.put(opened.after().id(), opened.after());
        }
        progress.values().forEach(tx::updatePacketProgress);
    }

    @Override
    public void journalOpens(List<PacketRules.Opened> opens) {
        if (opens.isEmpty()) {
            return;
        }
        if (writePath == WritePath.TABLES) {
            write(tx -> {
                derive(tx, opens, false);
                return null;
            });
            return;
        }
        requireOwned();
        writer.requireHeld();
        if (journal.backlog() >= JOURNAL_BACKLOG_MAX) {
            write(tx -> null);
        }
        asWriter(() -> {
            try {
                journal.append(opens);
            } catch (StoreException failed) {
                commitsFailing = true;
                throw failed;
            }
            return null;
        });
    }

    @Override
    public int deriveJournal() {
        int backlog = journal.backlog();
        if (backlog > 0) {
            write(tx -> null);
        }
        // Also when reads and writes caught up first (they derive, but never trim): else a journal whose every entry a
        // read derives would never be trimmed.
        if (derivedThrough - journal.trimmedThrough() >= trimEvery) {
            journal.trim(derivedThrough);
        }
        return backlog;
    }

    @Override
    public int journalBacklog() {
        return journal.backlog();
    }

    /**
     * Brings the derived tables up to date before a read, so that what an acknowledged open did is visible at once.
     * Not from inside a write: that transaction derived what was pending at its start, and its thread holds the writer.
     */
    private void catchUp() {
        if (owned) {
            writer.requireHeld();
        }
        if (journal.backlog() > 0 && !writing.get()) {
            write(tx -> null);
        }
    }

    private <T> T transaction(Function<WriteTx, T> work) {
        Connection connection;
        try {
            connection = writer.acquire();
        } catch (SQLException e) {
            throw new StoreException("no write connection: " + e.getMessage(), e);
        }
        try {
            T result = inExplicitTransaction(connection, writer.beginStatement(), writer::begun, work, directoryFeed::publish);
            commitsFailing = false;
            return result;
        } catch (StoreException failed) {
            commitsFailing = true;
            throw failed;
        } finally {
            try {
                writer.release(connection);
            } catch (SQLException e) {
                throw new StoreException("cannot release write connection", e);
            }
        }
    }

    /**
     * Runs work between an explicit {@code begin} statement and COMMIT on a connection in auto-commit mode (ROLLBACK if
     * it throws). Explicit, so that no connection holds a transaction (or SQLite's write lock) while idle. Public for
     * the benchmark's lock-based designs, which bring their own connections and lock the way they choose.
     */
    public static <T> T inExplicitTransaction(Connection connection, String begin, Function<WriteTx, T> work) {
        // The benchmark's designs write packets and claims, never users or groups: no directory change to tell.
        return inExplicitTransaction(connection, begin, begun -> { }, work, changes -> { });
    }

    /** A statement run first in a transaction, such as a lease check. */
    private interface FirstStatement {
        void run(Connection transaction) throws SQLException;
    }

    /** @param committed told, after COMMIT, of the users and groups the transaction changed */
    private static <T> T inExplicitTransaction(Connection connection, String begin, FirstStatement first,
            Function<WriteTx, T> work, Consumer<List<DirectoryChange>> committed) {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(begin);
        } catch (SQLException e) {
            throw new StoreException("cannot begin: " + e.getMessage(), e);
        }
        SqlWriteTx tx = new SqlWriteTx(connection);
        T result;
        try {
            first.run(connection);
            result = work.apply(tx);
            tx.flush();
            tx.announceDirectoryChanges();
            commit(connection);
        } catch (RuntimeException | SQLException e) {
            try {
                execute(connection, "ROLLBACK");
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException("transaction failed: " + e.getMessage(), e);
        } finally {
            try {
                tx.closeStatements();
            } catch (SQLException e) {
                throw new StoreException("cannot close statements", e);
            }
        }
        committed.accept(tx.directoryChanges());
        return result;
    }

    /** A COMMIT whose connection broke before its answer came may have committed: {@link CommitOutcomeUnknown}. */
    private static void commit(Connection connection) throws SQLException {
        try {
            execute(connection, "COMMIT");
        } catch (SQLException failed) {
            // SQLSTATE class 08, connection exception: the driver lost the connection, not the database's refusal.
            if (failed.getSQLState() != null && failed.getSQLState().startsWith("08")) {
                throw new CommitOutcomeUnknown(failed);
            }
            throw failed;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Ids asked per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
    private static final int IDS_PER_READ = 500;

    @Override
    public List<User> users(Collection<String> userIds) {
        List<String> ids = List.copyOf(userIds);
        List<User> found = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ));
            found.addAll(query("SELECT user_id, name FROM users WHERE user_id IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")", st -> {
                        for (int i = 0; i < chunk.size(); i++) {
                            st.setString(i + 1, chunk.get(i));
                        }
                    }, rs -> new User(rs.getString(1), rs.getString(2))));
        }
        return found;
    }

    @Override
    public List<User> firstUsers(int limit) {
        return query("SELECT user_id, name FROM users ORDER BY user_id LIMIT ?", st -> st.setInt(1, limit),
                rs -> new User(rs.getString(1), rs.getString(2)));
    }

    /** One statement, so the group and its members come from one snapshot. */
    @Override
    public Optional<Group> group(String groupId) {
        String[] nameAndOwner = new String[2];
        List<String> members = new ArrayList<>();
        query("SELECT g.name, g.owner_id, m.user_id FROM chat_groups g LEFT JOIN group_members m ON m.group_id = g.group_id "
                + "WHERE g.group_id = ? ORDER BY m.user_id", st -> st.setString(1, groupId), rs -> {
                    nameAndOwner[0] = rs.getString(1);
                    nameAndOwner[1] = rs.getString(2);
                    String member = rs.getString(3);
                    if (member != null) {
                        members.add(member);
                    }
                    return member;
                });
        return nameAndOwner[0] == null ? Optional.empty()
                : Optional.of(new Group(groupId, nameAndOwner[0], members, nameAndOwner[1]));
    }

    @Override
    public List<String> groupIdsOf(String userId) {
        return query("SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id", st -> st.setString(1, userId),
                rs -> rs.getString(1));
    }

    @Override
    public DirectoryChanges directoryChanges() {
        return directoryFeed;
    }

    @Override
    public Optional<StoredPacket> packet(long packetId) {
        catchUp();
        return packetAsDerived(packetId);
    }

    @Override
    public List<StoredPacket> packetsWithIds(Collection<Long> packetIds) {
        catchUp();
        return packetsById(List.copyOf(packetIds));
    }

    private Optional<StoredPacket> packetAsDerived(long packetId) {
        List<StoredPacket> found = packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets_all WHERE packet_id = ?",
                st -> st.setLong(1, packetId));
        return found.stream().findFirst();
    }

    @Override
    public List<StoredPacket> livePackets() {
        catchUp();
        return packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets WHERE status = ?",
                st -> st.setString(1, PacketStatus.ACTIVE.name()));
    }

    @Override
    public List<Long> dueForExpiry(Instant now, int limit) {
        return query("SELECT packet_id FROM packets WHERE status = ? AND expires_ms <= ? ORDER BY expires_ms LIMIT ?", st -> {
            st.setString(1, PacketStatus.ACTIVE.name());
            st.setLong(2, now.toEpochMilli());
            st.setInt(3, limit);
        }, rs -> rs.getLong(1));
    }

    @Override
    public long balance(String account) {
        catchUp();
        List<Long> balances = query("SELECT balance FROM accounts WHERE account_id = ?", st -> st.setString(1, account),
                rs -> rs.getLong(1));
        return balances.isEmpty() ? 0 : balances.get(0);
    }

    @Override
    public List<WalletEntry> walletEntries(String userId, Long beforeSeq, int limit) {
        catchUp();
        String wallet = Accounts.wallet(userId);
        return query("SELECT seq, transfer_id, kind, from_account, amount, from_balance_after, to_balance_after, packet_id, at_ms "
                + "FROM transfers WHERE (from_account = ? OR to_account = ?) AND seq < ? ORDER BY seq DESC LIMIT ?", st -> {
                    st.setString(1, wallet);
                    st.setString(2, wallet);
                    st.setLong(3, beforeSeq == null ? Long.MAX_VALUE : beforeSeq);
                    st.setInt(4, limit);
                }, rs -> {
                    boolean outgoing = wallet.equals(rs.getString("from_account"));
                    long amount = rs.getLong("amount");
                    long packetId = rs.getLong("packet_id");
                    Long packet = rs.wasNull() ? null : packetId;
                    return new WalletEntry(rs.getLong("seq"), rs.getString("transfer_id"),
                            TransferKind.valueOf(rs.getString("kind")), outgoing ? -amount : amount,
                            rs.getLong(outgoing ? "from_balance_after" : "to_balance_after"), packet,
                            Instant.ofEpochMilli(rs.getLong("at_ms")));
                });
    }

    @Override
    public List<StoredPacket> groupPackets(String groupId, Long beforePacketId, int limit) {
        catchUp();
        return packets("SELECT " + PacketRows.PACKET_COLUMNS
                + " FROM packets_all WHERE group_id = ? AND packet_id < ? ORDER BY packet_id DESC LIMIT ?", st -> {
                    st.setString(1, groupId);
                    st.setLong(2, beforePacketId == null ? Long.MAX_VALUE : beforePacketId);
                    st.setInt(3, limit);
                });
    }

    @Override
    public List<StoredPacket> packetsTo(String userId, Long beforePacketId, int limit) {
        catchUp();
        return packets("SELECT " + PacketRows.PACKET_COLUMNS
                + " FROM packets_all WHERE to_user_id = ? AND packet_id < ? ORDER BY packet_id DESC LIMIT ?", st -> {
                    st.setString(1, userId);
                    st.setLong(2, beforePacketId == null ? Long.MAX_VALUE : beforePacketId);
                    st.setInt(3, limit);
                });
    }

    @Override
    public List<StoredPacket> packetsBetween(String userId, String otherId, Long beforePacketId, int limit) {
        catchUp();
        // Both directions through the packets_to_user index, one range each.
        return packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets_all WHERE ((to_user_id = ? AND sender_id = ?) "
                + "OR (to_user_id = ? AND sender_id = ?)) AND packet_id < ? ORDER BY packet_id DESC LIMIT ?", st -> {
                    st.setString(1, userId);
                    st.setString(2, otherId);
                    st.setString(3, otherId);
                    st.setString(4, userId);
                    st.setLong(5, beforePacketId == null ? Long.MAX_VALUE : beforePacketId);
                    st.setInt(6, limit);
                });
    }

    @Override
    public List<ReceivedClaim> receivedClaims(String userId, Instant from, Instant until, Records.ReceivedCursor before,
            int limit) {
        catchUp();
        // The claims_by_user index, read backwards from the cursor. A packet is created before it is opened, so no
        // packet id past the range's end can hold one: on PostgreSQL that prunes the later day partitions.
        List<Long> packetIds = query("SELECT packet_id FROM claims_all WHERE user_id = ? AND claimed_ms >= ? AND claimed_ms < ? "
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
        for (StoredPacket stored : packetsById(packetIds)) {
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
        catchUp();
        // A packet id starts with its creation time: the year is a range of the packets_sender index.
        return packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets_all WHERE sender_id = ? AND packet_id >= ? "
                + "AND packet_id < ? AND status IN (" + SENT_STATUSES + ") ORDER BY packet_id DESC LIMIT ?", st -> {
                    st.setString(1, senderId);
                    st.setLong(2, PacketIds.firstIdAt(from));
                    st.setLong(3, Math.min(PacketIds.firstIdAt(until), beforePacketId == null ? Long.MAX_VALUE : beforePacketId));
                    st.setInt(4, limit);
                });
    }

    @Override
    public RecordTotals sentTotals(String senderId, Instant from, Instant until) {
        catchUp();
        return query("SELECT COUNT(*), COALESCE(SUM(total), 0) FROM packets_all WHERE sender_id = ? AND packet_id >= ? "
                + "AND packet_id < ? AND status IN (" + SENT_STATUSES + ")", st -> {
                    st.setString(1, senderId);
                    st.setLong(2, PacketIds.firstIdAt(from));
                    st.setLong(3, PacketIds.firstIdAt(until));
                }, rs -> new RecordTotals(rs.getLong(1), rs.getLong(2))).getFirst();
    }

    @Override
    public Optional<StoredAnswer> answer(String scope, String key) {
        return query("SELECT request_hash, status, body FROM idempotency WHERE scope = ? AND idem_key = ?", st -> {
            st.setString(1, scope);
            st.setString(2, key);
        }, rs -> new StoredAnswer(rs.getString(1), rs.getInt(2), rs.getString(3))).stream().findFirst();
    }

    @Override
    public List<ReconcileJob> dueJobs(Instant now, int limit) {
        return query("SELECT packet_id, pass, due_ms FROM reconcile_jobs WHERE due_ms <= ? ORDER BY due_ms LIMIT ?", st -> {
            st.setLong(1, now.toEpochMilli());
            st.setInt(2, limit);
        }, rs -> new ReconcileJob(rs.getLong(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3))));
    }

    @Override
    public List<Long> awaitingPaymentSince(Instant cutoff, int limit) {
        return query("SELECT packet_id FROM packets WHERE pay_status <> ? AND status <> ? AND created_ms <= ? "
                + "ORDER BY created_ms LIMIT ?", st -> {
                    st.setInt(1, PayStatus.SERVER_CONFIRMED.code());
                    st.setString(2, PacketStatus.CANCELLED.name());
                    st.setLong(3, cutoff.toEpochMilli());
                    st.setInt(4, limit);
                }, rs -> rs.getLong(1));
    }

    @Override
    public long countAwaitingPayment() {
        return query("SELECT COUNT(*) FROM packets WHERE pay_status <> ? AND status <> ?", st -> {
            st.setInt(1, PayStatus.SERVER_CONFIRMED.code());
            st.setString(2, PacketStatus.CANCELLED.name());
        }, rs -> rs.getLong(1)).getFirst();
    }

    @Override
    public long countRefundsDue() {
        return query("SELECT COUNT(*) FROM refunds_due", st -> { }, rs -> rs.getLong(1)).getFirst();
    }

    @Override
    public List<RefundDue> refundsDue(int limit) {
        return query("SELECT payment_id, packet_id, amount, reason, at_ms FROM refunds_due ORDER BY at_ms DESC LIMIT ?",
                st -> st.setInt(1, limit), rs -> new RefundDue(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))));
    }

    @Override
    public List<CrossSetCredit> outbox(int limit) {
        catchUp();
        return query("SELECT packet_id, seq, user_id, amount, from_set, to_set, claimed_ms FROM credit_outbox "
                + "ORDER BY claimed_ms, packet_id, seq LIMIT ?", st -> st.setInt(1, limit),
                rs -> new CrossSetCredit(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
                        rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7))));
    }

    @Override
    public ClearingPosition clearingPosition() {
        catchUp();
        Map<Integer, Long> outbound = new HashMap<>();
        Map<Integer, Long> inbound = new HashMap<>();
        query("SELECT account_id, balance FROM accounts WHERE account_id LIKE 'outbound:%' OR account_id LIKE 'inbound:%'",
                st -> { }, rs -> {
                    String account = rs.getString(1);
                    (Accounts.isOutbound(account) ? outbound : inbound).put(Accounts.otherSet(account), rs.getLong(2));
                    return account;
                });
        Map<Integer, ClearingPosition.Pending> pending = new HashMap<>();
        query("SELECT to_set, COUNT(*), SUM(amount), MIN(claimed_ms) FROM credit_outbox GROUP BY to_set", st -> { },
                rs -> pending.put(rs.getInt(1), new ClearingPosition.Pending(rs.getLong(2), rs.getLong(3),
                        Instant.ofEpochMilli(rs.getLong(4)))));
        return new ClearingPosition(outbound, inbound, pending);
    }

    @Override
    public AuditFacts auditFacts() {
        catchUp();
        try (Connection connection = readers.getConnection()) {
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

    @Override
    public List<Merchant> merchants() {
        return query(MerchantRows.SELECT_MERCHANTS, st -> { }, MerchantRows::merchant);
    }

    @Override
    public List<OpenidBinding> openidBindings() {
        return query(MerchantRows.SELECT_BINDINGS, st -> { }, MerchantRows::binding);
    }

    @Override
    public Optional<RedpackBill> bill(String mchId, String billno) {
        return query(MerchantRows.SELECT_BILL_BY_KEY, st -> {
            st.setString(1, mchId);
            st.setString(2, billno);
        }, MerchantRows::bill).stream().findFirst();
    }

    @Override
    public Map<Long, String> sendNames(Collection<Long> packetIds) {
        if (packetIds.isEmpty()) {
            return Map.of();
        }
        StringBuilder in = new StringBuilder();
        for (long id : packetIds) {
            in.append(in.isEmpty() ? "" : ",").append(id);
        }
        Map<Long, String> names = new HashMap<>();
        // merchant_bills_by_packet: a bill's packet is the one of its latest attempt, so one bill per packet.
        query("SELECT packet_id, send_name FROM merchant_bills WHERE packet_id IN (" + in + ")", st -> { },
                rs -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(e -> names.put(e.getKey(), e.getValue()));
        return names;
    }

    @Override
    public long lastPacketId() {
        return query("SELECT COALESCE(MAX(packet_id), 0) FROM packets", st -> { }, rs -> rs.getLong(1)).get(0);
    }

    @Override
    public Optional<Instant> transferTime(String transferId) {
        catchUp();
        return query("SELECT at_ms FROM transfers WHERE transfer_id = ?", st -> st.setString(1, transferId),
                rs -> Instant.ofEpochMilli(rs.getLong(1))).stream().findFirst();
    }

    @Override
    public Optional<Campaign> campaign(String mchId, String campaignId) {
        return query(CampaignRows.SELECT_CAMPAIGN, st -> {
            st.setString(1, mchId);
            st.setString(2, campaignId);
        }, CampaignRows::campaign).stream().findFirst();
    }

    @Override
    public CampaignTotals campaignTotals(String mchId, String campaignId) {
        catchUp();
        Map<CampaignWin.State, long[]> byState = new HashMap<>();
        query(CampaignRows.TOTALS, st -> {
            st.setString(1, mchId);
            st.setString(2, campaignId);
        }, rs -> byState.put(CampaignWin.State.valueOf(rs.getString(1)), new long[] {rs.getLong(2), rs.getLong(3)}));
        long[] paid = byState.getOrDefault(CampaignWin.State.PAID, new long[2]);
        long[] pending = byState.getOrDefault(CampaignWin.State.PENDING, new long[2]);
        return new CampaignTotals((int) paid[0], paid[1], (int) pending[0], pending[1]);
    }

    @Override
    public List<CampaignWin> campaignWins(String mchId, String campaignId, String afterUserId, int limit) {
        return query(CampaignRows.SELECT_WINS, st -> {
            st.setString(1, mchId);
            st.setString(2, campaignId);
            st.setString(3, afterUserId == null ? "" : afterUserId);
            st.setInt(4, limit);
        }, CampaignRows::win);
    }

    @Override
    public List<Campaign> campaignsWithPendingWins() {
        return query(CampaignRows.SELECT_WITH_PENDING, st -> { }, CampaignRows::campaign);
    }

    @Override
    public List<CampaignWin> pendingWins(String mchId, String campaignId, int limit) {
        return query(CampaignRows.SELECT_PENDING, st -> {
            st.setString(1, mchId);
            st.setString(2, campaignId);
            st.setInt(3, limit);
        }, CampaignRows::win);
    }

    @Override
    public void maintain(Instant now) {
        requireOwned();
        maintenance.accept(now);
    }

    @Override
    public boolean ping() {
        try {
            if (owned) {
                writer.requireHeld();
                if (commitsFailing) {
                    // The last write failed: ready again only once one commits. This one writes a row (a read-only
                    // transaction commits on a full disk too).
                    write(tx -> {
                        ((SqlWriteTx) tx).touchJournalMarks();
                        return null;
                    });
                }
            }
            return !query("SELECT 1", st -> { }, rs -> rs.getInt(1)).isEmpty();
        } catch (StoreException cannotServe) {
            log.warn("SET {} is not ready: {}", set, cannotServe.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        // Derived now, the tables alone hold everything: a backup of the file taken while the service is down needs no journal.
        try {
            if (owned) {
                deriveJournal();
            }
        } finally {
            // Left underived (a database cut off, a lease run out), the entries are recovered at the next start;
            // the connections are closed either way.
            journal.close();
            writer.close();
            try {
                readersLifecycle.close();
            } catch (Exception e) {
                throw new StoreException("cannot close readers", e);
            }
        }
    }

    /** The statuses of sent records as an SQL list; enum names, so safe to inline. */
    private static final String SENT_STATUSES = Records.SENT_STATUSES.stream().map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(","));

    private List<StoredPacket> packetsById(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        StringBuilder in = new StringBuilder();
        for (long id : ids) {
            in.append(in.isEmpty() ? "" : ",").append(id);
        }
        return packets("SELECT " + PacketRows.PACKET_COLUMNS + " FROM packets_all WHERE packet_id IN (" + in + ")", st -> { });
    }

    private List<StoredPacket> packets(String sql, Binder binder) {
        List<hongbao.domain.Packet> packets = query(sql, binder, PacketRows::packet);
        if (packets.isEmpty()) {
            return List.of();
        }
        Map<Long, List<Claim>> claims = new HashMap<>();
        StringBuilder in = new StringBuilder();
        for (hongbao.domain.Packet p : packets) {
            in.append(in.isEmpty() ? "" : ",").append(p.id());
        }
        query("SELECT " + PacketRows.CLAIM_COLUMNS + " FROM claims_all WHERE packet_id IN (" + in + ") ORDER BY packet_id, seq",
                st -> { }, rs -> claims.computeIfAbsent(rs.getLong("packet_id"), id -> new ArrayList<>()).add(PacketRows.claim(rs)));
        return packets.stream().map(p -> new StoredPacket(p, claims.getOrDefault(p.id(), List.of()))).toList();
    }

    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection connection = readers.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        }
    }
}
