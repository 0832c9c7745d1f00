package hongbao.bench;

import hongbao.store.jdbc.JdbcStore;
import hongbao.store.postgres.PostgresAdmin;
import hongbao.store.postgres.PostgresDayPartitions;
import hongbao.store.sql.SetPlacement;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.sqlite.SqliteStore;
import hongbao.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh store for one run, plus what the lock-based designs need to fight over it: their own connections and
 * the way this database locks a row ({@code BEGIN IMMEDIATE} on SQLite, {@code SELECT … FOR UPDATE} on PostgreSQL).
 */
final class BenchDatabase implements AutoCloseable {
    final Store store;
    final DataSource connections;
    final String lockingBegin;
    final String forUpdate;
    /** The ceiling appends to a scratch schema of this database on PostgreSQL, to a file of its own on SQLite. */
    final boolean onPostgres;
    private final Runnable dispose;

    private BenchDatabase(Store store, DataSource connections, String lockingBegin, String forUpdate, boolean onPostgres,
            Runnable dispose) {
        this.store = store;
        this.connections = connections;
        this.lockingBegin = lockingBegin;
        this.forUpdate = forUpdate;
        this.onPostgres = onPostgres;
        this.dispose = dispose;
    }

    static BenchDatabase sqlite(int shards, JdbcStore.WritePath writePath) throws IOException {
        return sqliteIn(Files.createTempDirectory("hongbao-bench-"), shards, writePath);
    }

    /** A copy of the SQLite data directory {@code template} (closed, so its file is whole). */
    static BenchDatabase sqliteCopyOf(Path template, int shards) throws IOException {
        Path dir = Files.createTempDirectory("hongbao-bench-");
        try (Stream<Path> files = Files.list(template)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        return sqliteIn(dir, shards, JdbcStore.WritePath.JOURNAL);
    }

    private static BenchDatabase sqliteIn(Path dir, int shards, JdbcStore.WritePath writePath) {
        return new BenchDatabase(SqliteStore.open(dir, SetPlacement.only(shards), writePath), SqliteStore.extraConnections(dir), "BEGIN IMMEDIATE", "", false,
                () -> deleteTree(dir));
    }

    /** A new database on the server, dropped again when the run is over. */
    static BenchDatabase postgres(String serverUrl, int shards, JdbcStore.WritePath writePath) {
        PostgresAdmin admin = new PostgresAdmin(serverUrl);
        String name = freshName();
        return postgresAt(admin.create(name), shards, writePath, () -> admin.drop(name));
    }

    /** A new database copied from {@code template} (a database nobody is connected to), dropped after the run. */
    static BenchDatabase postgresCopyOf(String serverUrl, String template, int shards) {
        PostgresAdmin admin = new PostgresAdmin(serverUrl);
        String name = freshName();
        return postgresAt(admin.createFrom(name, template), shards, JdbcStore.WritePath.JOURNAL, () -> admin.drop(name));
    }

    static String freshName() {
        return "hongbao_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static BenchDatabase postgresAt(String url, int shards, JdbcStore.WritePath writePath, Runnable drop) {
        PGSimpleDataSource connections = new PGSimpleDataSource();
        connections.setURL(PostgresStore.jdbcUrl(url));
        String info = URI.create(url).getUserInfo();
        if (info != null) {
            connections.setUser(info.split(":", 2)[0]);
            if (info.contains(":")) {
                connections.setPassword(info.split(":", 2)[1]);
            }
        }
        Store store = PostgresStore.open(url, SetPlacement.only(shards), PostgresDayPartitions.DEFAULT_RETENTION_DAYS,
                writePath);
        store.maintain(java.time.Instant.now());
        return new BenchDatabase(store, connections, "BEGIN", " FOR UPDATE", true, drop);
    }

    @Override
    public void close() {
        store.close();
        dispose.run();
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
