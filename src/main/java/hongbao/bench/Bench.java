package hongbao.bench;

import hongbao.domain.AuditReport;
import hongbao.domain.LedgerAudit;
import hongbao.engine.EngineConfig;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.Store;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every design on every scenario, each repetition in its own fresh store with the same data, and collects
 * the figures. Designs run one after another (never at the same time) so they do not share the two cores.
 */
final class Bench {
    /** The label suffix of a design measured on a store loaded with history. */
    static final String WITH_HISTORY = "+history";
    static final List<String> DESIGNS = List.of("engine", "engine-tables", "pessimistic", "optimistic", "ceiling",
            "ceiling-100", "ceiling-layout");
    /** The ceiling in batches of 100 rows: the figure the 200-client target is taken against. */
    static final int SMALL_BATCH = 100;

    /**
     * @param postgres a PostgreSQL server URL to run on (a fresh database per run), or null for SQLite files
     * @param history  historical claims (40 days old) written once into a store that is copied for a second run of
     *                 each design right after the empty one, reported as {@code <design>+history}; 0 for none
     */
    record Settings(List<Scenario> scenarios, List<String> designs, int reps, Duration limit, int shards, int workers,
            int maxBatch, int lockConnections, String postgres, long history) {
    }

    record ScenarioResult(Scenario scenario, List<RunResult> runs) {
    }

    private final Settings settings;
    private final PrintStream progress;
    private HistoryTemplate historyTemplate;

    Bench(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    List<ScenarioResult> run() throws Exception {
        // Every design once on a small packet first, so that no design is measured while the JIT is still compiling.
        Scenario warmUp = Scenario.hot(100, 300);
        for (String design : settings.designs()) {
            runOnce(warmUp, design, 0, 0);
        }
        if (settings.history() > 0) {
            long loading = System.nanoTime();
            historyTemplate = HistoryTemplate.load(settings.postgres(), settings.shards(), settings.history(), Instant.now());
            progress.printf("         history: %,d claims written in %.0f s (copied for each run)%n", settings.history(),
                    (System.nanoTime() - loading) / 1e9);
        }
        try {
            List<ScenarioResult> results = new ArrayList<>();
            for (Scenario scenario : settings.scenarios()) {
                List<RunResult> runs = new ArrayList<>();
                for (int rep = 1; rep <= settings.reps(); rep++) {
                    for (String design : settings.designs()) {
                        runs.add(measure(scenario, design, rep, 0));
                        if (settings.history() > 0) {
                            // The scale check: the same design right after, on a copy of the store holding the history.
                            runs.add(measure(scenario, design, rep, settings.history()));
                        }
                    }
                }
                results.add(new ScenarioResult(scenario, runs));
            }
            return results;
        } finally {
            if (historyTemplate != null) {
                historyTemplate.close();
            }
        }
    }

    private RunResult measure(Scenario scenario, String design, int rep, long history) throws Exception {
        RunResult result = runOnce(scenario, design, rep, history);
        progress.printf("  %-6s %-16s rep %d: %,10.0f opens/s  p99 %,8d us  acks %,d  failed %,d  retries %,d  audit %s%s%n",
                scenario.name(), result.design(), rep, result.opensPerSecond(), result.p99Micros(), result.acks(),
                result.failed(), result.retries(), result.balanced() ? "balanced" : "UNBALANCED",
                result.derivationLine());
        return result;
    }

    private RunResult runOnce(Scenario scenario, String designName, int rep, long history) throws Exception {
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
        // Only the engine's own design runs on the layout before the journal; every other design writes the tables.
        JdbcStore.WritePath writePath = designName.equals("engine-tables") ? JdbcStore.WritePath.TABLES
                : JdbcStore.WritePath.JOURNAL;
        try (BenchDatabase database = history > 0 ? historyTemplate.copy() : settings.postgres() == null
                ? BenchDatabase.sqlite(settings.shards(), writePath)
                : BenchDatabase.postgres(settings.postgres(), settings.shards(), writePath)) {
            Store store = database.store;
            Fixture fixture = new Fixture(store, scenario, clock.instant(), settings.shards(), 20261125L + rep);
            OpenRunner.Counts counts;
            long retries = 0;
            AuditReport audit;
            Design.DerivationTail tail = null;
            if (designName.startsWith("ceiling")) {
                counts = switch (designName) {
                    case "ceiling" -> Ceiling.run(database, fixture, clock, settings.maxBatch());
                    case "ceiling-100" -> Ceiling.run(database, fixture, clock, SMALL_BATCH);
                    default -> LayoutCeiling.run(store, fixture, clock, settings.maxBatch());
                };
                audit = LedgerAudit.evaluate(store.auditFacts());
            } else {
                try (Design design = design(designName, database, clock)) {
                    counts = OpenRunner.run(design, fixture.plan, scenario.concurrency(), settings.limit());
                    retries = design.retries();
                    audit = design.audit();
                    tail = design.derivationTail();
                    if (!design.diagnostics().isEmpty()) {
                        progress.println("         " + designName + ": " + design.diagnostics());
                    }
                }
            }
            String label = history > 0 ? designName + WITH_HISTORY : designName;
            return RunResult.of(label, rep, counts, retries, audit.balanced(), tail);
        }
    }

    private Design design(String name, BenchDatabase database, Clock clock) {
        return switch (name) {
            case "engine", "engine-tables" -> new EngineDesign(name, database.store, clock,
                    new EngineConfig(settings.shards(), settings.workers(), 100_000, settings.maxBatch()));
            case "pessimistic" -> new LockingDesign(database, clock, false, settings.lockConnections());
            case "optimistic" -> new LockingDesign(database, clock, true, settings.lockConnections());
            default -> throw new IllegalArgumentException("unknown design " + name + "; known: " + DESIGNS);
        };
    }
}
