package hongbao.store.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A SET's connections, none of them to a demoted primary started again as a primary. Each promotion starts a new
 * PostgreSQL timeline, so a primary on an older timeline than one this node already had a connection to is a server
 * the SET left behind (its machine came back, and its init system started it as it was). pgjdbc would take it for
 * the SET's primary (it says it is one, and a multi-host URL may name it first); every connection to it is refused
 * instead, so that it receives no write, not even a lease renewal, and serves no stale read. The SET answers 503 while
 * that server is the first primary pgjdbc finds, until it is stopped or started as a standby (docs/cluster.md).
 * A standby is refused too (a URL naming one server, a standby now, and no targetServerType): it takes no write.
 *
 * <p>A node that never reached the newer timeline cannot tell: that is the promotion manager's part.
 */
final class NewestTimelineOnly implements DataSource {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NewestTimelineOnly.class);
    /** The timeline is the first 8 hex digits of the current WAL file's name (none on a standby: it is not written). */
    private static final String TIMELINE = "SELECT CASE WHEN pg_is_in_recovery() THEN NULL "
            + "ELSE pg_walfile_name(pg_current_wal_lsn()) END, host(inet_server_addr()), inet_server_port()";

    private final String jdbcUrl;
    private final Properties properties;
    private final int set;
    private final AtomicInteger newestTimeline = new AtomicInteger();
    /** Each stale server and timeline logged once, however often the pool tries it again. */
    private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();

    /** @param properties the driver's connection properties, user and password included */
    NewestTimelineOnly(String jdbcUrl, Properties properties, int set) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.set = set;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(properties);
    }

    /** A connection with other properties than the pool's (the directory listener's, outside the pool). */
    Connection connect(Properties driverProperties) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, driverProperties);
        try {
            requireNewestTimeline(connection);
            return connection;
        } catch (SQLException | RuntimeException refused) {
            connection.close();
            throw refused;
        }
    }

    private void requireNewestTimeline(Connection connection) throws SQLException {
        String walFile;
        String server;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(TIMELINE)) {
            rs.next();
            walFile = rs.getString(1);
            server = rs.getString(2) + ":" + rs.getInt(3);
        }
        if (walFile == null) {
            throw new SQLException("the PostgreSQL server at " + server + " is a standby (in recovery), not SET " + set
                    + "'s primary: name the primary, or every server of the SET with targetServerType=primary", "08004");
        }
        int timeline = Integer.parseUnsignedInt(walFile.substring(0, 8), 16);
        int newest = newestTimeline.accumulateAndGet(timeline, Math::max);
        if (timeline < newest) {
            String refusal = "SET " + set + ": the PostgreSQL server at " + server + " is a primary on timeline "
                    + timeline + ", older than timeline " + newest + " this node already wrote on: a demoted primary "
                    + "started again as a primary; refused, it receives nothing from this node (stop it, or start it as "
                    + "a standby of the new primary: docs/cluster.md, \"A demoted primary\")";
            if (refusedOnce.add(server + "/" + timeline)) {
                log.error(refusal);
            }
            throw new SQLException(refusal, "08004");
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the user and password are in the connection properties");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // The driver logs through java.util.logging; there is no writer to set.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Bounded by the driver's own loginTimeout and connectTimeout properties.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
