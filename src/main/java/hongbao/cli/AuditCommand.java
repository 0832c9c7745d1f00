package hongbao.cli;

import hongbao.app.SetsAudit;
import hongbao.domain.AuditReport;
import hongbao.http.Json;
import hongbao.store.StoreSets;
import hongbao.wiring.Stores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import static hongbao.cli.StartupChecks.embeddedStore;
import static hongbao.cli.StartupChecks.startStep;
import static hongbao.cli.StartupChecks.storeSettings;

@Command(name = "audit", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Check that the ledger of an existing store balances (the one serve uses with the same settings); "
                + "exit 1 if it does not, 2 if there is no store.")
final class AuditCommand implements Callable<Integer> {
    @CommandLine.Mixin
    StoreOptions data = new StoreOptions();

    @CommandLine.Mixin
    RetentionOption retention = new RetentionOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        java.util.List<java.nio.file.Path> missing = Stores.missingSqliteFiles(data.store, data.dataDir);
        if (!missing.isEmpty()) {
            throw new StartupError(storeSettings(data.store), "no store at " + missing.get(0)
                    + ", nothing to audit; name the service's data directory or its database");
        }
        spec.commandLine().getErr().println("auditing " + String.join(", ", Stores.describe(data.store, data.dataDir))
                + " (another: --data-dir or HONGBAO_DATA_DIR, --store or HONGBAO_STORE)");
        AuditReport report;
        try (StoreSets sets = startStep(storeSettings(data.store),
                () -> Stores.openSets(data.store, data.dataDir, data.shards, retention.retentionDays,
                        embeddedStore(data.store) ? hongbao.cluster.Ownership.single() : hongbao.cluster.Ownership.none()))) {
            report = SetsAudit.run(sets, Instant.now());
        }
        spec.commandLine().getOut().println(Json.write(report));
        return report.balanced() ? 0 : 1;
    }
}
