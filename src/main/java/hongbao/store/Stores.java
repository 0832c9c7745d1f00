package hongbao.store;

import java.nio.file.Path;

/** Picks the store from configuration: a PostgreSQL URL, or else the embedded SQLite file in the data directory. */
public final class Stores {
    private Stores() {
    }

    /** @param spec {@code HONGBAO_STORE}: null, empty or {@code sqlite} for the embedded file; a PostgreSQL URL otherwise */
    public static Store open(String spec, Path dataDir, int shards) {
        return open(spec, dataDir, shards, PostgresDayPartitions.DEFAULT_RETENTION_DAYS);
    }

    /** @param retentionDays days a packet stays in PostgreSQL's hot tables before its day moves to cold storage */
    public static Store open(String spec, Path dataDir, int shards, int retentionDays) {
        if (spec == null || spec.isBlank() || spec.equals("sqlite")) {
            return SqliteStore.open(dataDir, shards);
        }
        if (spec.startsWith("postgresql:") || spec.startsWith("postgres:") || spec.startsWith("jdbc:postgresql:")) {
            return PostgresStore.open(spec, shards, retentionDays);
        }
        throw new IllegalArgumentException("HONGBAO_STORE must be empty, sqlite, or a postgresql:// URL, not " + spec);
    }
}
