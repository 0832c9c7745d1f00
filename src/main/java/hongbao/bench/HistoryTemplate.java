package hongbao.bench;

import hongbao.store.postgres.PostgresAdmin;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.sqlite.SqliteStore;
import hongbao.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The scale check's history, written once and copied for every run that measures on it: writing ten million
 * claims takes minutes, copying the database seconds.
 */
final class HistoryTemplate implements AutoCloseable {
    private final Path sqliteDir;
    private final String postgresServer;
    private final String postgresDatabase;
    private final int shards;

    private HistoryTemplate(Path sqliteDir, String postgresServer, String postgresDatabase, int shards) {
        this.sqliteDir = sqliteDir;
        this.postgresServer = postgresServer;
        this.postgresDatabase = postgresDatabase;
        this.shards = shards;
    }

    /** @param postgresServer a server URL, or null for SQLite */
    static HistoryTemplate load(String postgresServer, int shards, long claims, Instant now) throws IOException {
        if (postgresServer == null) {
            Path dir = Files.createTempDirectory("hongbao-history-");
            try (Store store = SqliteStore.open(dir, shards)) {
                History.load(store, claims, now, shards);
            }
            return new HistoryTemplate(dir, null, null, shards);
        }
        String name = BenchDatabase.freshName();
        String url = new PostgresAdmin(postgresServer).create(name);
        try (Store store = PostgresStore.open(url, shards)) {
            History.load(store, claims, now, shards);
            store.maintain(now); // today's partitions, and the history's days moved to the cold schema
        }
        return new HistoryTemplate(null, postgresServer, name, shards);
    }

    BenchDatabase copy() throws IOException {
        return sqliteDir != null ? BenchDatabase.sqliteCopyOf(sqliteDir, shards)
                : BenchDatabase.postgresCopyOf(postgresServer, postgresDatabase, shards);
    }

    @Override
    public void close() {
        if (sqliteDir != null) {
            BenchDatabase.deleteTree(sqliteDir);
        } else {
            new PostgresAdmin(postgresServer).drop(postgresDatabase);
        }
    }
}
