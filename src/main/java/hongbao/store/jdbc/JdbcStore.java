package hongbao.store.jdbc;

import hongbao.store.sql.SqlTransactions;
import hongbao.store.directory.DirectoryFeed;
import hongbao.store.DatabaseBehind;
import hongbao.store.NotOwnedHere;
import hongbao.store.Store;
import hongbao.store.StoreException;
import hongbao.store.packets.StoredPacket;
import hongbao.store.WriteTx;
import hongbao.store.journal.Derivation;
import hongbao.store.journal.OpenJournal;
import hongbao.store.journal.SliceSize;
import hongbao.store.sql.SetPlacement;
import hongbao.store.sql.SqlWriteTx;
import hongbao.store.events.EventLog;
import hongbao.store.sql.SqlReader;
import hongbao.store.sql.WriteConnection;

import hongbao.domain.Accounts;
import hongbao.domain.PacketRules;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/** The {@link Store} in SQL common to SQLite and PostgreSQL; the adapters only say how to connect. */
public final class JdbcStore extends CaughtUpReads implements Store {
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
    /**
     * How long an append past the bound waits for the derivation thread to make room before it derives a slice itself:
     * as long as a direct write waits for the one before it, long beside a slice (the thread's slices follow each
     * other while it is behind), so that the appender derives only where no such thread runs (a tool) or it stalled.
     */
    static final java.time.Duration BACK_PRESSURE_WAIT = DIRECT_WRITE_WAIT;
    /** Trimming costs a commit of its own on the journal, so it waits for this many derived entries. */
    public static final int TRIM_EVERY = 4_096;

    /** False for a SET another node owns (see {@link #visiting}). */
    private final boolean owned;
    private final int set;
    private final WriteConnection writer;
    private final OpenJournal journal;
    private final Derivation derivation;
    private final SliceSize sliceSize;
    private final WritePath writePath;
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
    /** Set once the database is found behind what this node saw committed: see {@link DatabaseBehind}. */
    private volatile DatabaseBehind behind;
    private final DirectoryFeed directoryFeed;
    private final AutoCloseable readersLifecycle;
    private final Consumer<Instant> maintenance;

    /** A store that only this process writes to: it learns of directory changes from its own commits alone. */
    public JdbcStore(WriteConnection writer, WriteConnection journalWriter, WritePath writePath, DataSource readers,
            AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement) {
        this(writer, journalWriter, writePath, readers, readersLifecycle, maintenance, placement, TRIM_EVERY,
                SliceSize.MAX_ENTRIES);
    }

    /**
     * @param trimEvery how many derived entries the journal keeps before they are trimmed ({@link #TRIM_EVERY}); the
     *     simulation's runs are short, and trim only after a few
     * @param sliceMaxEntries the most entries a derivation slice takes ({@link SliceSize#MAX_ENTRIES}); the
     *     simulation's few, so that its slices leave some pending
     */
    public JdbcStore(WriteConnection writer, WriteConnection journalWriter, WritePath writePath, DataSource readers,
            AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement, int trimEvery,
            int sliceMaxEntries) {
        this(writer, journalWriter, writePath, readers, readersLifecycle, maintenance, placement, new DirectoryFeed(),
                trimEvery, sliceMaxEntries);
    }

    /** @param directoryFeed also told of other processes' changes, by whatever {@code readersLifecycle} closes */
    public JdbcStore(WriteConnection writer, WriteConnection journalWriter, WritePath writePath, DataSource readers,
            AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement, DirectoryFeed directoryFeed) {
        this(writer, journalWriter, writePath, readers, readersLifecycle, maintenance, placement, directoryFeed, TRIM_EVERY,
                SliceSize.MAX_ENTRIES);
    }

    private JdbcStore(WriteConnection writer, WriteConnection journalWriter, WritePath writePath, DataSource readers,
            AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement, DirectoryFeed directoryFeed,
            int trimEvery, int sliceMaxEntries) {
        this(true, writer, journalWriter, writePath, readers, readersLifecycle, maintenance, placement, directoryFeed,
                trimEvery, sliceMaxEntries);
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
        derivation.recover(reader.query("SELECT derived_through FROM journal_marks", st -> { }, rs -> rs.getLong(1)).getFirst(),
                packetId -> packetAsDerived(packetId).map(StoredPacket::packet));
        catchUp();
    }

    private JdbcStore(boolean owned, WriteConnection writer, WriteConnection journalWriter, WritePath writePath,
            DataSource readers, AutoCloseable readersLifecycle, Consumer<Instant> maintenance, SetPlacement placement,
            DirectoryFeed directoryFeed, int trimEvery, int sliceMaxEntries) {
        super(new SqlReader(readers), directoryFeed);
        this.owned = owned;
        this.set = placement.index();
        this.writer = writer;
        this.writePath = writePath;
        this.journal = new OpenJournal(journalWriter, placement.layout());
        this.derivation = new Derivation(journal, placement.layout(), set, trimEvery);
        this.sliceSize = new SliceSize(sliceMaxEntries);
        this.directoryFeed = directoryFeed;
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
                directoryFeed, TRIM_EVERY, SliceSize.MAX_ENTRIES);
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
     * A write transaction. It first derives every journal entry pending at its start (a long backlog in slices before
     * it, the rest in the same transaction), so the derived tables it reads and changes are always a prefix of history:
     * a send never sees a balance that lacks an acknowledged open's credit, and the audit never sees half of one.
     */
    @Override
    public <T> T write(Function<WriteTx, T> work) {
        // A storm's backlog is derived in slices first, each a transaction of its own (as many as it held when this
        // began, so appends that keep coming do not keep this waiting): no transaction, nor any wait for the writer,
        // grows with the backlog. The write's own transaction derives what is left, then does the work.
        int slice = sliceSize.entries();
        for (int slices = journal.backlog() / slice; slices > 0; slices--) {
            deriveSlice(slice);
        }
        return deriveThen(Integer.MAX_VALUE, work).result();
    }

    /**
     * Derives the oldest pending entries, at most {@code limit} of them, then does the work, in one transaction. Only
     * a transaction that does nothing else may leave entries pending: a write that reads or changes derived tables
     * must see every acknowledged open (see {@link #write}).
     */
    private <T> Done<T> deriveThen(int limit, Function<WriteTx, T> work) {
        requireOwned();
        requireNotBehind();
        writer.requireHeld();
        lockDirectWrites();
        try {
            return asWriter(() -> derivingThen(limit, work));
        } catch (DatabaseBehind wentBack) {
            refuseFromNowOn(wentBack);
            throw wentBack;
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

    /** Once its database was found behind what this node saw committed, the SET is refused for good (one log line). */
    private void requireNotBehind() {
        DatabaseBehind found = behind;
        if (found != null) {
            throw new DatabaseBehind(found);
        }
    }

    private synchronized void refuseFromNowOn(DatabaseBehind wentBack) {
        if (behind == null) {
            behind = wentBack;
            log.error("SET {} is refused from now on: {}", set, wentBack.getMessage());
        }
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
    private <T> Done<T> derivingThen(int limit, Function<WriteTx, T> work) {
        journal.settleUncertain();
        Derivation.Derived[] derivedNow = {null};
        T result = transaction(tx -> {
            derivedNow[0] = derivation.derivePending((SqlWriteTx) tx, limit);
            return work.apply(tx);
        });
        derivation.derived(derivedNow[0]);
        return new Done<>(result, derivedNow[0]);
    }

    /** A committed write's result, and the journal entries its transaction derived first. */
    private record Done<T>(T result, Derivation.Derived derived) {
    }

    @Override
    public void journalOpens(List<PacketRules.Opened> opens) {
        if (opens.isEmpty()) {
            return;
        }
        if (writePath == WritePath.TABLES) {
            write(tx -> {
                derivation.derive(tx, opens, false);
                return null;
            });
            return;
        }
        requireOwned();
        requireNotBehind();
        writer.requireHeld();
        if (journal.backlog() >= JOURNAL_BACKLOG_MAX) {
            makeRoom(opens.size());
        }
        asWriter(() -> {
            try {
                journal.append(opens);
            } catch (DatabaseBehind wentBack) {
                refuseFromNowOn(wentBack);
                throw wentBack;
            } catch (StoreException failed) {
                commitsFailing = true;
                throw failed;
            }
            return null;
        });
    }

    /**
     * Back-pressure, never a whole pass in the appender's path: waits for the derivation thread's slices (back to back
     * while it is behind) to make room, and derives one slice of at least this batch itself if none does so in time
     * (no such thread, or one stalled).
     */
    private void makeRoom(int appending) {
        try {
            if (journal.awaitBacklogUnder(JOURNAL_BACKLOG_MAX, BACK_PRESSURE_WAIT)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deriveSlice(Math.max(sliceSize.entries(), appending));
    }

    @Override
    public int deriveJournal() {
        // A database behind what this node acknowledged is written no more, trims included (its marks are not ours):
        // the SET was refused, and said so, when that was found; closing or handing it over derives nothing there.
        if (behind != null) {
            return 0;
        }
        int backlog = journal.backlog();
        if (backlog > 0) {
            write(tx -> null);
        }
        // Also when reads and writes caught up first (they derive, but never trim): else a journal whose every entry a
        // read derives would never be trimmed.
        derivation.trimIfDue();
        return backlog;
    }

    @Override
    public int deriveJournalSlice() {
        if (behind != null) {
            return 0;
        }
        int derived = journal.backlog() > 0 ? deriveSlice(sliceSize.entries()) : 0;
        derivation.trimIfDue();
        return derived;
    }

    /** Derives the oldest pending entries, at most {@code limit}, in a transaction of their own; returns how many. */
    private int deriveSlice(int limit) {
        long started = System.nanoTime();
        int derived = deriveThen(limit, tx -> null).derived().entries();
        sliceSize.took(derived, System.nanoTime() - started);
        return derived;
    }

    @Override
    public void watchDerivationLag(LongConsumer ackToDerivedNanos) {
        journal.watchDerivationLag(ackToDerivedNanos);
    }

    @Override
    public int journalBacklog() {
        return journal.backlog();
    }

    /**
     * Brings the derived tables up to date before a read, so that what an acknowledged open did is visible at once.
     * Not from inside a write: that transaction derived what was pending at its start, and its thread holds the writer.
     */
    @Override
    void catchUp() {
        if (owned) {
            requireNotBehind();
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
            T result = SqlTransactions.inExplicitTransaction(connection, writer.beginStatement(), writer::begun, work, directoryFeed::publish);
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

    @Override
    public EventLog events() {
        return new SqlEventLog(reader, this, set, this::catchUp);
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
                requireNotBehind();
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
            return !reader.query("SELECT 1", st -> { }, rs -> rs.getInt(1)).isEmpty();
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

}
