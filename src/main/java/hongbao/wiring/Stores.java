package hongbao.wiring;

import hongbao.store.Store;
import hongbao.store.StoreSets;

import hongbao.cluster.Ownership;
import hongbao.cluster.SetLease;
import hongbao.cluster.SetOwnership;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.postgres.PostgresDayPartitions;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.postgres.PostgresUrl;
import hongbao.store.sql.SetPlacement;
import hongbao.store.sqlite.SqliteStore;

import hongbao.domain.SetLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Picks the stores from configuration. A spec is a comma-separated list with one entry per SET: a PostgreSQL URL,
 * or {@code sqlite} for an embedded file in the data directory. Empty means one SQLite SET. A comma separates SETs
 * only where the next entry begins ({@code postgresql://}, {@code postgres://}, {@code jdbc:postgresql:} or a whole
 * {@code sqlite}): the commas inside a multi-host URL ({@code postgresql://h1:5432,h2:5432/db}) separate its hosts.
 * (So a host called {@code sqlite} in a multi-host URL needs its port written.)
 */
public final class Stores {
    /** A comma followed by the start of another SET's entry; any other comma belongs to the entry it is in. */
    private static final Pattern SET_SEPARATOR = Pattern.compile(
            ",(?=\\s*(?:postgresql://|postgres://|jdbc:postgresql:|sqlite\\s*(?:,|$)))");

    private Stores() {
    }

    /** One store; {@code spec} must name a single SET. */
    public static Store open(String spec, Path dataDir, int shards) {
        return open(spec, dataDir, shards, PostgresDayPartitions.DEFAULT_RETENTION_DAYS);
    }

    public static Store open(String spec, Path dataDir, int shards, int retentionDays) {
        List<String> entries = entries(spec);
        if (entries.size() != 1) {
            throw new IllegalArgumentException("expected one store, not " + entries.size() + ": " + spec);
        }
        return openEntry(entries.get(0), dataDir, SetPlacement.only(shards), retentionDays);
    }

    /** @param retentionDays days a packet stays in PostgreSQL's hot tables before its day moves to cold storage */
    public static StoreSets openSets(String spec, Path dataDir, int shards, int retentionDays) {
        return openSets(spec, dataDir, shards, retentionDays, Ownership.single());
    }

    /**
     * The SETs as one node has them: those it owns (their leases taken, on PostgreSQL) and the others visited.
     *
     * @throws IllegalArgumentException for a cluster over SQLite, whose files one process owns
     */
    public static StoreSets openSets(String spec, Path dataDir, int shards, int retentionDays, Ownership ownership) {
        return openSets(spec, dataDir, shards, retentionDays, ownership, lease -> { });
    }

    /**
     * @param taken told of each lease as soon as it is taken: the SETs are taken one after another, and one may wait
     *              for a live holder while the leases taken before it must be kept
     */
    public static StoreSets openSets(String spec, Path dataDir, int shards, int retentionDays, Ownership ownership,
            java.util.function.Consumer<SetLease> taken) {
        List<String> entries = entries(spec);
        SetLayout layout = new SetLayout(shards, entries.size());
        if (ownership.cluster() && !allPostgres(spec)) {
            throw new IllegalArgumentException("a cluster's SETs must all be PostgreSQL databases");
        }
        List<Store> stores = new ArrayList<>();
        List<SetLease> leases = new ArrayList<>();
        List<java.util.function.Supplier<java.util.Optional<SetLease.Holder>>> holders = new ArrayList<>();
        try {
            for (int set = 0; set < entries.size(); set++) {
                SetPlacement placement = new SetPlacement(layout, set);
                if (isPostgres(entries.get(set))) {
                    PostgresStore.Member member = PostgresStore.join(entries.get(set), placement, retentionDays,
                            JdbcStore.WritePath.JOURNAL, ownership, taken);
                    stores.add(member.store());
                    member.lease().ifPresent(leases::add);
                    holders.add(member.holder());
                } else {
                    stores.add(openEntry(entries.get(set), dataDir, placement, retentionDays));
                    holders.add(java.util.Optional::empty);
                }
            }
        } catch (RuntimeException e) {
            stores.forEach(opened -> closeAfterFailure(opened, e));
            throw e;
        }
        return new StoreSets(layout, stores,
                new SetOwnership(ownership, entries.size(), leases, set -> holders.get(set).get()));
    }

    /**
     * What each SET of a spec is, for messages: its SQLite file, or its PostgreSQL URL without the password.
     *
     * @throws IllegalArgumentException for an entry that is neither, before anything is opened or created
     */
    public static List<String> describe(String spec, Path dataDir) {
        List<String> entries = entries(spec);
        List<String> described = new ArrayList<>();
        for (int set = 0; set < entries.size(); set++) {
            String entry = entries.get(set);
            if (entry.equals("sqlite")) {
                described.add("SQLite " + SqliteStore.file(dataDir, set));
            } else if (isPostgres(entry)) {
                PostgresUrl.parse(entry);
                described.add("PostgreSQL " + PostgresUrl.redacted(entry));
            } else {
                throw notAStore(entry);
            }
        }
        return described;
    }

    /** The SQLite files of a spec that do not exist: opening would create them empty. */
    public static List<Path> missingSqliteFiles(String spec, Path dataDir) {
        List<String> entries = entries(spec);
        List<Path> missing = new ArrayList<>();
        for (int set = 0; set < entries.size(); set++) {
            Path file = SqliteStore.file(dataDir, set);
            if (entries.get(set).equals("sqlite") && !java.nio.file.Files.isRegularFile(file)) {
                missing.add(file);
            }
        }
        return missing;
    }

    /** The SETs of a spec, one entry each, in order. */
    public static List<String> entries(String spec) {
        if (spec == null || spec.isBlank()) {
            return List.of("sqlite");
        }
        return Arrays.stream(SET_SEPARATOR.split(spec)).map(String::trim).toList();
    }

    private static Store openEntry(String entry, Path dataDir, SetPlacement placement, int retentionDays) {
        if (entry.equals("sqlite")) {
            return SqliteStore.open(dataDir, placement);
        }
        if (isPostgres(entry)) {
            return PostgresStore.open(entry, placement, retentionDays);
        }
        throw notAStore(entry);
    }

    /** Whether every SET of the spec is a PostgreSQL database, as a cluster's must be (one process owns a SQLite file). */
    public static boolean allPostgres(String spec) {
        return entries(spec).stream().allMatch(Stores::isPostgres);
    }

    private static boolean isPostgres(String entry) {
        return entry.startsWith("postgresql:") || entry.startsWith("postgres:") || entry.startsWith("jdbc:postgresql:");
    }

    private static IllegalArgumentException notAStore(String entry) {
        return new IllegalArgumentException("each store must be sqlite or a postgresql:// URL, not " + entry);
    }

    private static void closeAfterFailure(Store store, RuntimeException failure) {
        try {
            store.close();
        } catch (RuntimeException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }
}
