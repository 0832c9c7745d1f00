package hongbao.cli;

import hongbao.app.StartupFailure;
import hongbao.domain.AuditReport;
import hongbao.http.Json;
import hongbao.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "restore", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Copy a backup into a new data directory and audit it; exit 1, leaving nothing there, if it does "
                + "not balance.")
final class RestoreCommand implements Callable<Integer> {
    @CommandLine.Mixin
    StoreOptions data = new StoreOptions();

    @Option(names = "--from", required = true, description = "a directory written by backup (or a link to one)")
    Path from;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Backups.sqliteSets(data.store, "restore");
        Path backup = Backups.backupDirectory(from);
        Backups.Manifest manifest = Backups.manifest(backup);
        Backups.requireExactly(backup, manifest);
        Path target = data.dataDir;
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new StartupError("HONGBAO_DATA_DIR", target + ": the directory it would be in does not exist; "
                    + "create it first");
        }
        Backups.requireEmpty(target, "HONGBAO_DATA_DIR (--data-dir)");
        Path staging = Backups.createStaging(parent, target);
        try {
            Backups.copyVerified(backup, manifest, staging);
            AuditReport audit;
            try {
                audit = Backups.audit(data.store, staging, data.shards);
            } catch (StoreException unusable) {
                throw new StartupFailure("--from " + from + ": the copy cannot be opened: " + unusable.getMessage(),
                        unusable);
            }
            spec.commandLine().getOut().println(Json.write(audit));
            if (!audit.balanced()) {
                spec.commandLine().getErr().println("hongbao restore: the copy of " + from + " does not balance; "
                        + "nothing was restored into " + target);
                return 1;
            }
            Backups.moveIntoPlace(staging, target);
            return 0;
        } finally {
            Backups.deleteTree(staging);
        }
    }
}
