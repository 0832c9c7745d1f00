package hongbao.cluster;

import hongbao.store.Fenced;

import hongbao.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's lease on one PostgreSQL SET (table {@code set_lease} in the SET's own database). Taking it raises the
 * epoch; {@link #check} runs first in every write transaction of the owner and reads the epoch FOR KEY SHARE. A
 * takeover locks the row FOR UPDATE, which waits for the old owner's open transactions, and every later one of them
 * is refused. A renewal changes only the expiry, a no-key update that those share locks do not hold up: an owner's
 * long transaction must not keep its own lease from being renewed. Expiry is the database's clock.
 */
public final class SetLease {
    private static final Logger log = LoggerFactory.getLogger(SetLease.class);
    private static final Duration RETRY = Duration.ofMillis(500);
    /** How long one try waits for the row's lock: well within the pool's statement (4 s) and socket (5 s) bounds. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(1);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final DataSource database;
    private final int set;
    private final String node;
    private final Duration ttl;
    private volatile long epoch;
    /**
     * Until when (System.nanoTime) this node is sure to hold the SET: a lease's time, counted from before the request
     * that took or renewed it was sent, since the database's clock started it no earlier than that.
     */
    private volatile long heldUntilNanos;
    /** Told when the fence refuses a write: proof, sooner than a renewal's, that another node took the SET. */
    private volatile IntConsumer fenced = set -> { };

    /** Who holds a SET: the node's URL, its epoch, and whether its lease is still running. */
    public record Holder(String node, long epoch, boolean live) {
    }

    private SetLease(DataSource database, int set, String node, Duration ttl) {
        this.database = database;
        this.set = set;
        this.node = node;
        this.ttl = ttl;
    }

    /**
     * Takes the SET: at once if it is free, expired, last held by this node's URL, or {@code takeOver} is set; else
     * waits for the holder's lease to expire (a standby). Either way the epoch rises, fencing every earlier holder.
     */
    public static SetLease acquire(DataSource database, int set, String node, Duration ttl, boolean takeOver)
            throws InterruptedException {
        SetLease lease = new SetLease(database, set, node, ttl);
        boolean told = false;
        while (!lease.tryAcquire(takeOver)) {
            if (!told) {
                Holder holder = holder(database).orElseThrow();
                if (takeOver) {
                    log.info("SET {} is held by {} (epoch {}); waiting for its transactions in flight to end",
                            set, holder.node(), holder.epoch());
                } else {
                    log.info("SET {} is held by {} (epoch {}); waiting for its lease to expire (serve --take-over takes "
                            + "it at once)", set, holder.node(), holder.epoch());
                }
                told = true;
            }
            Thread.sleep(RETRY.toMillis());
        }
        // A take that waited for the old owner's transaction in flight can be answered more than a lease's time after
        // it was sent: renew at once, from now, or the node would refuse the SET it has just taken.
        if (!lease.held() && !lease.renew()) {
            throw new StoreException("SET " + set + " was taken over again while this node was taking it", null);
        }
        log.info("SET {}: owned by {} from epoch {}", set, node, lease.epoch);
        return lease;
    }

    private boolean tryAcquire(boolean takeOver) {
        long sent = System.nanoTime();
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean taken = takeInTransaction(connection, takeOver);
                connection.commit();
                if (taken) {
                    heldUntilNanos = sent + ttl.toNanos();
                }
                return taken;
            } catch (SQLException e) {
                connection.rollback();
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    // An old owner's transaction still holds the row (a paused owner's, until the server ends its
                    // idle session): try again, rather than wait past the pool's statement and socket bounds.
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot take the lease of SET " + set + ": " + e.getMessage(), e);
        }
    }

    /**
     * FOR UPDATE first: the owners' transactions hold the row FOR KEY SHARE, which only this lock waits for. Only a
     * take that may succeed locks it, so a standby waiting for the lease does not queue the owner's work behind it.
     */
    private boolean takeInTransaction(Connection connection, boolean takeOver) throws SQLException {
        try (PreparedStatement bound = connection.prepareStatement("SET LOCAL lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'")) {
            bound.execute();
        }
        String mayTake = "id = 0 AND (? OR owner = ? OR expires_at < now())";
        try (PreparedStatement lock = connection.prepareStatement("SELECT epoch FROM set_lease WHERE " + mayTake
                + " FOR UPDATE")) {
            lock.setBoolean(1, takeOver);
            lock.setString(2, node);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
        }
        String sql = "UPDATE set_lease SET epoch = epoch + 1, owner = ?, expires_at = now() + make_interval(secs => ?) "
                + "WHERE " + mayTake + " RETURNING epoch";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, node);
            update.setDouble(2, ttl.toMillis() / 1000.0);
            update.setBoolean(3, takeOver);
            update.setString(4, node);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                epoch = rs.getLong(1);
                return true;
            }
        }
    }

    /** @return false if another node took the SET over: this node must stop serving it */
    public boolean renew() {
        long sent = System.nanoTime();
        boolean renewed = updateOwn("UPDATE set_lease SET expires_at = now() + make_interval(secs => "
                + ttl.toMillis() / 1000.0 + ") WHERE id = 0 AND epoch = ?");
        if (renewed) {
            heldUntilNanos = sent + ttl.toNanos();
        }
        return renewed;
    }

    /**
     * Whether this node is sure to hold the SET now: its last renewal (or taking) was answered within a lease's time
     * of being sent. When false, another node may have taken the SET over meanwhile.
     */
    public boolean held() {
        return System.nanoTime() - heldUntilNanos < 0;
    }

    /** Ends the lease at a clean stop, so that a successor need not wait for it to expire. */
    public void release() {
        updateOwn("UPDATE set_lease SET expires_at = '-infinity' WHERE id = 0 AND epoch = ?");
        heldUntilNanos = System.nanoTime();
    }

    private boolean updateOwn(String sql) {
        try (Connection connection = database.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            update.setLong(1, epoch);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("cannot update the lease of SET " + set + ": " + e.getMessage(), e);
        }
    }

    /** First statement of each of the owner's write transactions: refuses it if the SET was taken over. */
    public void check(Connection transaction) throws SQLException {
        try {
            requireEpoch(transaction, set, epoch);
        } catch (Fenced refused) {
            fenced.accept(set);
            throw refused;
        }
    }

    /**
     * The fence itself: refuses the transaction ({@link Fenced}) unless the SET's epoch is still {@code held}. Public
     * for the simulation, whose nodes take their epochs without a lease's expiry.
     */
    public static void requireEpoch(Connection transaction, int set, long held) throws SQLException {
        try (PreparedStatement select = transaction.prepareStatement("SELECT epoch FROM set_lease WHERE id = 0 FOR KEY SHARE");
                ResultSet rs = select.executeQuery()) {
            long current = rs.next() ? rs.getLong(1) : -1;
            if (current != held) {
                throw new Fenced(set, held, current);
            }
        }
    }

    /**
     * @param listener told this SET's index each time {@link #check} refuses a write: an owner paused for less than its
     *     lease wakes up sure it still holds the SET, and its first write is the first to learn otherwise
     */
    public void whenFenced(IntConsumer listener) {
        this.fenced = listener;
    }

    public int set() {
        return set;
    }

    public long epoch() {
        return epoch;
    }

    /** Who holds the SET now, as its database says. */
    public static Optional<Holder> holder(DataSource database) {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT owner, epoch, expires_at > now() FROM set_lease WHERE id = 0");
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(new Holder(rs.getString(1), rs.getLong(2), rs.getBoolean(3))) : Optional.empty();
        } catch (SQLException e) {
            throw new StoreException("cannot read the lease: " + e.getMessage(), e);
        }
    }
}
