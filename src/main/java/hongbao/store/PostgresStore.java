package hongbao.store;

import java.util.Optional;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The production store: PostgreSQL through a connection pool. Commits are durable with PostgreSQL's default
 * settings; writes of different transactions proceed in parallel under row locks.
 */
public final class PostgresStore {
    private static final int POOL_SIZE = 8;

    private PostgresStore() {
    }

    /** @param url {@code postgresql://[user[:password]@]host[:port]/database[?params]} or a {@code jdbc:postgresql:} URL */
    public static Store open(String url, int shards) {
        return open(url, SetPlacement.only(shards), PostgresDayPartitions.DEFAULT_RETENTION_DAYS);
    }

    public static Store open(String url, SetPlacement placement, int retentionDays) {
        return open(url, placement, retentionDays, JdbcStore.WritePath.JOURNAL);
    }

    public static Store open(String url, SetPlacement placement, int retentionDays, JdbcStore.WritePath writePath) {
        if (retentionDays < 2) {
            throw new IllegalArgumentException("retention must be at least 2 days: packets live 24 h");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl(url));
        userInfo(url).ifPresent(info -> {
            int colon = info.indexOf(':');
            config.setUsername(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) {
                config.setPassword(info.substring(colon + 1));
            }
        });
        config.setMaximumPoolSize(POOL_SIZE);
        // One multi-row INSERT per batch instead of one statement per row.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setPoolName("hongbao-postgresql");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (com.zaxxer.hikari.pool.HikariPool.PoolInitializationException unreachable) {
            throw new StoreException("cannot connect to PostgreSQL at " + config.getJdbcUrl() + ": "
                    + unreachable.getCause().getMessage(), unreachable);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration/postgresql").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        DirectoryFeed directoryFeed = new DirectoryFeed();
        PostgresDirectoryListener listener;
        try {
            listener = new PostgresDirectoryListener(() -> listenerConnection(config), directoryFeed,
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
        try {
            return new JdbcStore(new PooledWriter(pool), new PooledWriter(pool), writePath, pool, connections,
                    new PostgresDayPartitions(pool, retentionDays)::maintain, placement, directoryFeed);
        } catch (RuntimeException e) {
            try {
                connections.close();
            } catch (Exception closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Outside the pool: the listener holds it for as long as the store is open. */
    private static Connection listenerConnection(HikariConfig config) throws SQLException {
        Properties properties = new Properties();
        if (config.getUsername() != null) {
            properties.setProperty("user", config.getUsername());
        }
        if (config.getPassword() != null) {
            properties.setProperty("password", config.getPassword());
        }
        properties.setProperty("ApplicationName", PostgresDirectoryListener.APPLICATION_NAME);
        // A probe on a connection whose server vanished without a word fails after this many seconds.
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(config.getJdbcUrl(), properties);
    }

    public static String jdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        URI uri = URI.create(url);
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + url);
        }
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
    }

    private static Optional<String> userInfo(String url) {
        if (url.startsWith("jdbc:")) {
            return Optional.empty();
        }
        return Optional.ofNullable(URI.create(url).getUserInfo());
    }

    /** Each write transaction takes its own pooled connection. */
    private static final class PooledWriter implements WriteConnection {
        private final HikariDataSource pool;

        PooledWriter(HikariDataSource pool) {
            this.pool = pool;
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
