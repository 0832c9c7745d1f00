package hongbao.cluster;

import hongbao.store.directory.DirectoryChange;
import hongbao.store.directory.DirectoryFeed;
import hongbao.store.StoreException;
import hongbao.store.sql.DirectoryTxSql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears, on a connection of its own, the notifications that directory writes of every process send on
 * {@link DirectoryTxSql#CHANNEL} at commit, and tells this SET's {@link DirectoryFeed}. PostgreSQL keeps
 * no notification for a session that is not listening, so after the connection is lost it reconnects and tells the
 * feed that changes were missed.
 */
public final class PostgresDirectoryListener implements AutoCloseable {
    /** The application_name of the listening connection: how an operator (or a test) finds it in pg_stat_activity. */
    public static final String APPLICATION_NAME = "hongbao-directory-listener";
    private static final Logger log = LoggerFactory.getLogger(PostgresDirectoryListener.class);
    /** One wait for notifications; also how long {@link #close} may wait for the thread to notice. */
    private static final int WAIT_MILLIS = 500;
    /** A silent connection (a dead network drops no error) is probed this often, and given up when the probe hangs. */
    private static final long PROBE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long RETRY_MILLIS = 1000;

    public interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final DirectoryFeed feed;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    /** Listens before it returns, so that nothing committed after the store opened goes unheard. */
    public PostgresDirectoryListener(Connector connector, DirectoryFeed feed, String name) {
        this.connector = connector;
        this.feed = feed;
        try {
            this.connection = listening();
        } catch (SQLException e) {
            throw new StoreException("cannot listen for directory changes: " + e.getMessage(), e);
        }
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    private Connection listening() throws SQLException {
        Connection fresh = connector.connect();
        try (Statement statement = fresh.createStatement()) {
            statement.execute("LISTEN " + DirectoryTxSql.CHANNEL);
        } catch (SQLException e) {
            fresh.close();
            throw e;
        }
        return fresh;
    }

    private void run() {
        try {
            while (!closed) {
                try {
                    hear(connection);
                } catch (SQLException | RuntimeException lost) {
                    if (closed) {
                        return;
                    }
                    closeAfterLoss(connection, lost);
                    log.warn("lost the directory change feed; reconnecting", lost);
                    reconnect();
                }
            }
        } finally {
            // A reconnect that raced with close() leaves a connection that close() did not abort.
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("cannot close the directory listener's connection", e);
            }
        }
    }

    private void hear(Connection listening) throws SQLException {
        PGConnection pg = listening.unwrap(PGConnection.class);
        long probeAt = System.nanoTime() + PROBE_EVERY_NANOS;
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    heard(notification.getParameter());
                }
            }
            if (System.nanoTime() - probeAt > 0) {
                try (Statement probe = listening.createStatement()) {
                    probe.execute("SELECT 1");
                }
                probeAt = System.nanoTime() + PROBE_EVERY_NANOS;
            }
        }
    }

    /** A payload this code does not write (a newer server's, say) names something it cannot drop: it forgets all. */
    private void heard(String payload) {
        DirectoryChange change;
        try {
            change = DirectoryChange.parse(payload);
        } catch (IllegalArgumentException unknown) {
            log.warn("unknown directory change {}; forgetting everything cached of this SET", payload, unknown);
            feed.missedSome();
            return;
        }
        feed.publish(java.util.List.of(change));
    }

    /** Until it listens again (or is closed); then whatever was cached may have missed a change. */
    private void reconnect() {
        while (!closed) {
            try {
                connection = listening();
                feed.missedSome();
                log.info("listening for directory changes again");
                return;
            } catch (SQLException e) {
                log.warn("cannot listen for directory changes yet: {}", e.getMessage());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void closeAfterLoss(Connection lostConnection, Exception cause) {
        try {
            lostConnection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection current = connection;
        try {
            // Cuts the socket under a wait in progress; close() would queue behind it.
            current.abort(Runnable::run);
        } catch (SQLException e) {
            throw new StoreException("cannot stop listening for directory changes", e);
        }
        try {
            thread.join(WAIT_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
