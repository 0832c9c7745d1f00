package hongbao;

import hongbao.app.SetsAudit;
import hongbao.app.StartupFailure;
import hongbao.domain.AuditReport;
import hongbao.http.Json;
import hongbao.store.SqliteSnapshot;
import hongbao.store.SqliteStore;
import hongbao.store.StoreSets;
import hongbao.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backup} and {@code restore} of the embedded SQLite store, while the service runs. A backup directory has the
 * data directory's layout (one file per SET, the secrets) and a {@code backup.json} that says what each SET's copy
 * holds; restoring is copying it into a new data directory. Both audit what they wrote.
 */
final class Backups {
    static final String MANIFEST = "backup.json";
    private static final List<String> SECRETS = List.of("admin.key", "token.secret", "payment.key");

    private Backups() {
    }

    /** What one SET's copy holds: the ledger position (last transfer seq) it ends at, its claims, its size. */
    record SetCopy(int set, String file, long lastTransferSeq, long transfers, long claims, long bytes) {
    }

    record Manifest(String startedAt, String finishedAt, int shards, List<SetCopy> sets, boolean balanced,
            List<String> problems) {
    }

    @Command(name = "backup", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Copy a data directory's SQLite store and secrets to a new directory, while the service runs; "
                    + "exit 1 if the copy does not audit balanced.")
    static final class Backup implements Callable<Integer> {
        @CommandLine.Mixin
        Main.StoreOptions data = new Main.StoreOptions();

        @Option(names = "--to", required = true, description = "a new or empty directory for the backup")
        Path to;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            int sets = sqliteSets(data.store, "backup");
            requireEmpty(to, "--to");
            List<Path> missing = Stores.missingSqliteFiles(data.store, data.dataDir);
            if (!missing.isEmpty()) {
                throw new StartupError("HONGBAO_DATA_DIR", "no store at " + missing.get(0) + ", nothing to back up");
            }
            Instant started = Instant.now();
            for (int set = 0; set < sets; set++) {
                Path source = SqliteStore.file(data.dataDir, set);
                Path target = SqliteStore.file(to, set);
                // The journal first: whatever the tables' copy has not derived yet, the journal's copy still holds (it
                // is trimmed only behind what is derived). Copied the other way round, entries could fall between.
                Path journal = source.resolveSibling(SqliteStore.JOURNAL_FILE_NAME);
                if (Files.isRegularFile(journal)) {
                    SqliteSnapshot.copy(journal, target.resolveSibling(SqliteStore.JOURNAL_FILE_NAME));
                }
                SqliteSnapshot.copy(source, target);
            }
            copySecrets(data.dataDir, to);
            // Opening the copy to audit it derives the journal's copy into the tables' copy.
            AuditReport audit = audit(data.store, to, data.shards);
            List<SetCopy> copies = new ArrayList<>();
            for (int set = 0; set < sets; set++) {
                Path target = SqliteStore.file(to, set);
                SqliteSnapshot.Contents contents = SqliteSnapshot.contents(target);
                copies.add(new SetCopy(set, to.relativize(target).toString(), contents.lastTransferSeq(),
                        contents.transfers(), contents.claims(), contents.bytes()));
            }
            Manifest manifest = new Manifest(started.toString(), Instant.now().toString(), data.shards, copies,
                    audit.balanced(), audit.problems());
            write(to.resolve(MANIFEST), Json.write(manifest));
            spec.commandLine().getOut().println(Json.write(manifest));
            return audit.balanced() ? 0 : 1;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Copy a backup into a new data directory and audit it; exit 1 if it does not balance.")
    static final class Restore implements Callable<Integer> {
        @CommandLine.Mixin
        Main.StoreOptions data = new Main.StoreOptions();

        @Option(names = "--from", required = true, description = "a directory written by backup")
        Path from;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            sqliteSets(data.store, "restore");
            if (!Files.exists(from)) {
                throw new StartupFailure("--from " + from + " does not exist");
            }
            if (!Files.isRegularFile(from.resolve(MANIFEST))) {
                throw new StartupFailure("--from " + from + " holds no " + MANIFEST + ": not a backup");
            }
            requireEmpty(data.dataDir, "HONGBAO_DATA_DIR (--data-dir)");
            copyTree(from, data.dataDir);
            AuditReport audit = audit(data.store, data.dataDir, data.shards);
            spec.commandLine().getOut().println(Json.write(audit));
            return audit.balanced() ? 0 : 1;
        }
    }

    /** How many SETs the spec has, all SQLite; PostgreSQL is backed up with its own tools (README, "Operating"). */
    private static int sqliteSets(String store, String what) {
        if (!Main.embeddedStore(store)) {
            throw new StartupError("HONGBAO_STORE", what + " covers the embedded SQLite store; back up PostgreSQL with "
                    + "pg_dump or a base backup with WAL archiving (README, \"Operating\")");
        }
        return store == null || store.isBlank() ? 1 : store.split(",").length;
    }

    /** @param setting how the user named the directory, e.g. "--to" */
    private static void requireEmpty(Path dir, String setting) {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new StartupFailure(setting + ": " + dir + " is not empty; name a new directory");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (Files.exists(dir)) {
            throw new StartupFailure(setting + ": " + dir + " is not a directory");
        }
    }

    /** SQLite only: PostgreSQL's retention does not apply, so backup and restore do not offer it. */
    private static AuditReport audit(String store, Path dataDir, int shards) {
        try (StoreSets sets = Stores.openSets(store, dataDir, shards, hongbao.store.PostgresDayPartitions.DEFAULT_RETENTION_DAYS)) {
            return SetsAudit.run(sets, Instant.now());
        }
    }

    private static void copySecrets(Path from, Path to) {
        for (String secret : SECRETS) {
            Path source = from.resolve(secret);
            if (Files.isRegularFile(source)) {
                copy(source, to.resolve(secret));
            }
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                copy(source, to.resolve(from.relativize(source).toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path source, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
