package hongbao.store.sqlite;

import hongbao.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file from its own thread. Left to itself SQLite checkpoints
 * inside the COMMIT that crosses the threshold, which puts a second fsync on the path of acknowledged opens; a
 * passive checkpoint here never blocks the writer. Durability does not depend on it: the log is synced at commit.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    private final Connection connection;
    private final ScheduledExecutorService thread;

    WalCheckpointer(Connection connection, long intervalMillis) {
        this.connection = connection;
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("wal-checkpoint").daemon().factory());
        thread.scheduleWithFixedDelay(this::checkpoint, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // The writer's own fallback threshold still bounds the log; say so and try again next time.
            log.warn("background WAL checkpoint failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new StoreException("cannot close the checkpoint connection", e);
        }
    }
}
