package hongbao.store.postgres;

import hongbao.cluster.Ownership;
import hongbao.cluster.PostgresDirectoryListener;
import hongbao.cluster.SetLease;
import hongbao.store.directory.DirectoryFeed;
import hongbao.store.Store;
import hongbao.store.StoreException;
import hongbao.store.sql.WriteConnection;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.sql.SetPlacement;

import java.util.Optional;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The production store: PostgreSQL through a connection pool. Commits are durable with PostgreSQL's default
 * settings; writes of different transactions proceed in parallel under row locks.
 */
public final class PostgresStore {
    private static final int POOL_SIZE = 8;
    private static final int VISITOR_POOL_SIZE = 4;
    private static final int MIN_IDLE = 2;
    private static final java.time.Duration IDLE_IN_TRANSACTION = java.time.Duration.ofSeconds(5);
    /**
     * Every wait on the database is bounded, so that a request to a SET whose database is cut off answers 503 within
     * seconds instead of hanging: for a pooled connection, and for a new one to be made (TCP connect, then login).
     */
    public static final java.time.Duration CONNECTION_WAIT = java.time.Duration.ofSeconds(3);
    /** A statement the server works on longer is cancelled by it (the whole transaction fails, nothing applied). */
    public static final java.time.Duration STATEMENT_TIMEOUT = java.time.Duration.ofSeconds(4);
    /**
     * A connection whose server sends nothing for this long is given up (a silent network drops packets instead of
     * refusing them); longer than {@link #STATEMENT_TIMEOUT}, so that a slow statement is cancelled cleanly first.
     */
    public static final java.time.Duration SOCKET_TIMEOUT = java.time.Duration.ofSeconds(5);
    /** How long pgjdbc trusts what it learned of a host's role (primary or standby) before asking again. */
    public static final java.time.Duration HOST_RECHECK = java.time.Duration.ofSeconds(1);
    /** Schema migrations and the daily move to cold storage may work longer than a request may wait. */
    public static final java.time.Duration MIGRATION_TIMEOUT = java.time.Duration.ofMinutes(10);

    private PostgresStore() {
    }

    /** @param url as {@link PostgresUrl} reads it: one host or several, or a {@code jdbc:postgresql:} URL */
    public static Store open(String url, int shards) {
        return open(url, SetPlacement.only(shards), PostgresDayPartitions.DEFAULT_RETENTION_DAYS);
    }

    public static Store open(String url, SetPlacement placement, int retentionDays) {
        return open(url, placement, retentionDays, JdbcStore.WritePath.JOURNAL);
    }

    public static Store open(String url, SetPlacement placement, int retentionDays, JdbcStore.WritePath writePath) {
        return join(url, placement, retentionDays, writePath, Ownership.single()).store();
    }

    /**
     * A SET as one node of a cluster has it: owned (its lease taken first, every write transaction fenced by it) or
     * visited (reads and shared writes only).
     *
     * @param holder who holds the SET's lease now, for sending requests to its owner
     */
    public record Member(Store store, Optional<SetLease> lease, java.util.function.Supplier<Optional<SetLease.Holder>> holder) {
    }

    public static Member join(String url, SetPlacement placement, int retentionDays, JdbcStore.WritePath writePath,
            Ownership ownership) {
        return join(url, placement, retentionDays, writePath, ownership, lease -> { });
    }

    /** @param taken told of the SET's lease as soon as it is taken, so that it is renewed from then on */
    public static Member join(String url, SetPlacement placement, int retentionDays, JdbcStore.WritePath writePath,
            Ownership ownership, java.util.function.Consumer<SetLease> taken) {
        if (retentionDays < 2) {
            throw new IllegalArgumentException("retention must be at least 2 days: packets live 24 h");
        }
        PostgresUrl parsed = PostgresUrl.parse(url);
        Properties driver = new Properties();
        parsed.user().ifPresent(user -> driver.setProperty("user", user));
        parsed.password().ifPresent(password -> driver.setProperty("password", password));
        // One multi-row INSERT per batch instead of one statement per row.
        driver.setProperty("reWriteBatchedInserts", "true");
        // A paused process must not hold a transaction (and the lease row FOR KEY SHARE) for ever: its successor's takeover
        // waits for those locks, which the server releases by ending such a session.
        // A URL's own parameters (socketTimeout=..., connectTimeout=...) take precedence over these.
        driver.setProperty("options", "-c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION.toMillis()
                + " -c statement_timeout=" + STATEMENT_TIMEOUT.toMillis());
        driver.setProperty("connectTimeout", Long.toString(CONNECTION_WAIT.toSeconds()));
        driver.setProperty("loginTimeout", Long.toString(CONNECTION_WAIT.toSeconds()));
        driver.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        driver.setProperty("tcpKeepAlive", "true");
        // With several hosts (targetServerType=primary), the driver remembers which one was a standby for this long
        // (10 s by default): a standby just promoted would be skipped, and the SET left without a primary, that long.
        driver.setProperty("hostRecheckSeconds", Long.toString(HOST_RECHECK.toSeconds()));
        HikariConfig config = new HikariConfig();
        NewestTimelineOnly servers = new NewestTimelineOnly(parsed.jdbc(), driver, placement.index());
        config.setDataSource(servers);
        // A node connects to every SET: the ones it visits get a small pool, and no pool keeps more idle connections
        // than it needs, so that nodes times SETs stays within the servers' max_connections.
        config.setMaximumPoolSize(ownership.owns(placement.index()) ? POOL_SIZE : VISITOR_POOL_SIZE);
        config.setMinimumIdle(MIN_IDLE);
        config.setConnectionTimeout(CONNECTION_WAIT.toMillis());
        config.setValidationTimeout(Math.min(CONNECTION_WAIT.toMillis(), java.time.Duration.ofSeconds(2).toMillis()));
        config.setPoolName("hongbao-postgresql");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (com.zaxxer.hikari.pool.HikariPool.PoolInitializationException unreachable) {
            throw new StoreException("cannot connect to PostgreSQL at " + PostgresUrl.redacted(url) + ": "
                    + unreachable.getCause().getMessage(), unreachable);
        }
        DirectoryFeed directoryFeed = new DirectoryFeed();
        PostgresDirectoryListener listener;
        try {
            migrate(parsed);
            listener = new PostgresDirectoryListener(() -> listenerConnection(parsed, servers), directoryFeed,
                    "directory-listener-set-" + placement.index());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        AutoCloseable connections = () -> {
            try {
                listener.close();
            } finally {
                pool.close();
            }
        };
        java.util.function.Supplier<Optional<SetLease.Holder>> holder = () -> SetLease.holder(pool);
        try {
            if (!ownership.owns(placement.index())) {
                return new Member(JdbcStore.visiting(new PooledWriter(pool, Optional.empty(), false), pool, connections,
                        placement, directoryFeed), Optional.empty(), holder);
            }
            SetLease lease = SetLease.acquire(pool, placement.index(), ownership.node(), ownership.leaseTtl(),
                    ownership.takeOver());
            taken.accept(lease);
            // Only a cluster's leases say whether to serve: a single node (or a tool) is the SET's only owner.
            PooledWriter fenced = new PooledWriter(pool, Optional.of(lease), ownership.cluster());
            return new Member(new JdbcStore(fenced, fenced, writePath, pool, connections,
                    new PostgresDayPartitions(pool, retentionDays)::maintain, placement, directoryFeed),
                    Optional.of(lease), holder);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAfterFailure(connections, e);
            throw new StoreException("interrupted while waiting for the lease of " + placement.describe(), e);
        } catch (RuntimeException e) {
            closeAfterFailure(connections, e);
            throw e;
        }
    }

    /**
     * Migrations run on connections of their own: a migration may rightly work on a large table for longer than the
     * pool's statement and socket bounds allow a request to wait, so its bound is {@link #MIGRATION_TIMEOUT}.
     */
    private static void migrate(PostgresUrl url) {
        String bounded = url.jdbc() + (url.jdbc().contains("?") ? "&" : "?") + "connectTimeout="
                + CONNECTION_WAIT.toSeconds() + "&socketTimeout=" + MIGRATION_TIMEOUT.toSeconds() + "&tcpKeepAlive=true";
        Flyway.configure().dataSource(bounded, url.user().orElse(null), url.password().orElse(null))
                .locations("classpath:db/migration/postgresql").load().migrate();
    }

    private static void closeAfterFailure(AutoCloseable connections, Exception failure) {
        try {
            connections.close();
        } catch (Exception closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    /** Outside the pool: the listener holds it for as long as the store is open. */
    private static Connection listenerConnection(PostgresUrl url, NewestTimelineOnly servers) throws SQLException {
        Properties properties = new Properties();
        url.user().ifPresent(user -> properties.setProperty("user", user));
        url.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", PostgresDirectoryListener.APPLICATION_NAME);
        // A probe on a connection whose server vanished without a word fails after this many seconds.
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        return servers.connect(properties);
    }

    /** The JDBC URL of a configured one, every host of a multi-host URL kept ({@link PostgresUrl}). */
    public static String jdbcUrl(String url) {
        return PostgresUrl.parse(url).jdbc();
    }

    /** Each write transaction takes its own pooled connection; an owner's first checks its lease. */
    private static final class PooledWriter implements WriteConnection {
        private final HikariDataSource pool;
        private final Optional<SetLease> lease;
        private final boolean servesOnlyWhileHeld;

        PooledWriter(HikariDataSource pool, Optional<SetLease> lease, boolean servesOnlyWhileHeld) {
            this.pool = pool;
            this.lease = lease;
            this.servesOnlyWhileHeld = servesOnlyWhileHeld;
        }

        @Override
        public void requireHeld() {
            if (servesOnlyWhileHeld && !lease.orElseThrow().held()) {
                SetLease lapsed = lease.get();
                throw new StoreException("SET " + lapsed.set() + ": this node's lease (epoch " + lapsed.epoch()
                        + ") was not renewed in time, and another node may own the SET now", null);
            }
        }

        @Override
        public void begun(Connection transaction) throws SQLException {
            if (lease.isPresent()) {
                lease.get().check(transaction);
            }
        }

        @Override
        public Connection acquire() throws SQLException {
            return pool.getConnection();
        }

        @Override
        public void release(Connection connection) throws SQLException {
            connection.close();
        }

        @Override
        public String beginStatement() {
            return "BEGIN";
        }

        @Override
        public void close() {
            // The pool is closed with the readers it also serves.
        }
    }
}
