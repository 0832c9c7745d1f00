package hongbao.cli;

import hongbao.domain.AuditReport;
import hongbao.http.Json;
import hongbao.store.sqlite.SqliteSnapshot;
import hongbao.store.sqlite.SqliteStore;
import hongbao.wiring.Stores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "backup", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Copy a data directory's SQLite store (every SET at one instant) and secrets to a new directory, "
                + "while the service runs; exit 1 if the copy does not audit balanced.")
final class BackupCommand implements Callable<Integer> {
    @CommandLine.Mixin
    StoreOptions data = new StoreOptions();

    @Option(names = "--to", required = true, description = "a new or empty directory for the backup")
    Path to;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int sets = Backups.sqliteSets(data.store, "backup");
        Backups.requireEmpty(to, "--to");
        List<Path> missing = Stores.missingSqliteFiles(data.store, data.dataDir);
        if (!missing.isEmpty()) {
            throw new StartupError("HONGBAO_DATA_DIR", "no store at " + missing.get(0) + ", nothing to back up");
        }
        Instant started = Instant.now();
        List<SqliteSnapshot.SetFiles> files = new ArrayList<>();
        for (int set = 0; set < sets; set++) {
            Path source = SqliteStore.file(data.dataDir, set);
            Path target = SqliteStore.file(to, set);
            files.add(new SqliteSnapshot.SetFiles(source, source.resolveSibling(SqliteStore.JOURNAL_FILE_NAME), target,
                    target.resolveSibling(SqliteStore.JOURNAL_FILE_NAME)));
        }
        SqliteSnapshot.copyAtOneInstant(files);
        Backups.copySecrets(data.dataDir, to);
        // Opening the copy to audit it derives the journal's copy into the tables' copy.
        AuditReport audit = Backups.audit(data.store, to, data.shards);
        List<Backups.SetCopy> copies = new ArrayList<>();
        for (int set = 0; set < sets; set++) {
            Path target = SqliteStore.file(to, set);
            SqliteSnapshot.Contents contents = SqliteSnapshot.contents(target);
            copies.add(new Backups.SetCopy(set, to.relativize(target).toString(), contents.lastTransferSeq(),
                    contents.transfers(), contents.claims(), contents.bytes()));
        }
        Backups.Manifest manifest = new Backups.Manifest(started.toString(), Instant.now().toString(), data.shards, copies,
                audit.balanced(), audit.problems(), Backups.listed(to));
        Backups.write(to.resolve(Backups.MANIFEST), Json.write(manifest));
        spec.commandLine().getOut().println(Json.write(manifest));
        return audit.balanced() ? 0 : 1;
    }
}
