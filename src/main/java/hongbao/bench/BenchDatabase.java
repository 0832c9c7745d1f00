package hongbao.bench;

import hongbao.store.PostgresAdmin;
import hongbao.store.PostgresStore;
import hongbao.store.SqliteStore;
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
    private final Runnable dispose;

    private BenchDatabase(Store store, DataSource connections, String lockingBegin, String forUpdate, Runnable dispose) {
        this.store = store;
        this.connections = connections;
        this.lockingBegin = lockingBegin;
        this.forUpdate = forUpdate;
        this.dispose = dispose;
    }

    static BenchDatabase sqlite(int shards) throws IOException {
        Path dir = Files.createTempDirectory("hongbao-bench-");
        return new BenchDatabase(SqliteStore.open(dir, shards), SqliteStore.extraConnections(dir), "BEGIN IMMEDIATE", "",
                () -> deleteTree(dir));
    }

    /** A new database on the server, dropped again when the run is over. */
    static BenchDatabase postgres(String serverUrl, int shards) {
        PostgresAdmin admin = new PostgresAdmin(serverUrl);
        String name = "hongbao_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = admin.create(name);
        PGSimpleDataSource connections = new PGSimpleDataSource();
        connections.setURL(PostgresStore.jdbcUrl(url));
        String info = URI.create(url).getUserInfo();
        if (info != null) {
            connections.setUser(info.split(":", 2)[0]);
            if (info.contains(":")) {
                connections.setPassword(info.split(":", 2)[1]);
            }
        }
        Store store = PostgresStore.open(url, shards);
        store.maintain(java.time.Instant.now());
        return new BenchDatabase(store, connections, "BEGIN", " FOR UPDATE", () -> admin.drop(name));
    }

    @Override
    public void close() {
        store.close();
        dispose.run();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
