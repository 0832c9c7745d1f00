package hongbao.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure opens/s and latency of the engine beside the designs it replaces, in-process, on fresh stores.")
public final class BenchCommand implements Callable<Integer> {
    /** Opens a second a sustained storm's plan holds: above any design's rate here, so the plan never runs dry. */
    static final int SUSTAINED_PLAN_RATE = 120_000;

    @Option(names = "--quick", description = "a short run (about a minute): smaller scenarios, one repetition")
    boolean quick;

    @Option(names = "--scenarios", split = ",", defaultValue = "hot,storm", description = "hot, storm (default both)")
    List<String> scenarios;

    @Option(names = "--designs", split = ",", defaultValue = "engine,pessimistic,optimistic,ceiling,ceiling-100,ceiling-layout",
            description = "engine, engine-tables (the engine on the layout before the journal: opens written straight into the tables), pessimistic, optimistic, ceiling (the journal's rows appended in batches of --max-batch, "
                    + "nothing else running: the disk's limit), ceiling-100 (the same in batches of 100), ceiling-layout "
                    + "(today's rows written through the store by one thread) (default all)")
    List<String> designs;

    @Option(names = "--sustained", paramLabel = "SECONDS", description = "instead of --scenarios: one storm that lasts "
            + "this long at the design's full rate (its plan holds " + SUSTAINED_PLAN_RATE + " opens a second; --storm-clients clients), "
            + "so that the bench line's journal backlog at the end and ack-to-derived p99 show whether derivation keeps up")
    Integer sustained;

    @Option(names = "--reps", description = "repetitions per design (default 3; 1 with --quick)")
    Integer reps;

    @Option(names = "--seconds", description = "time limit of one run (default 20; 5 with --quick)")
    Integer seconds;

    @Option(names = "--storm-clients", description = "concurrent clients in the storm scenario (default 2000, the engine's peak; 100 with --quick)")
    Integer stormClients;

    @Option(names = "--workers", defaultValue = "1", description = "engine shard workers (SQLite has one writer: 1 is best)")
    int workers;

    @Option(names = "--max-batch", defaultValue = "1000", description = "most opens per group commit (engine, ceiling, ceiling-layout)")
    int maxBatch;

    @Option(names = "--lock-connections", defaultValue = "16", description = "connection pool of the lock-based designs")
    int lockConnections;

    @Option(names = "--postgres", description = "run on this PostgreSQL server (a fresh database per run, dropped after) instead of SQLite files, e.g. postgresql://postgres@127.0.0.1:5432/postgres")
    String postgres;

    @Option(names = "--history", defaultValue = "0", description = "the scale check: each design is measured again, right after, on a store first loaded with this many historical claims (40 days old)")
    long history;

    @Option(names = "--http", description = "storm a running server at this URL over HTTP instead of in-process designs")
    java.net.URI http;

    @Option(names = "--wrk-plan", description = "with --http: set the storm's packets up and write one fresh open per share "
            + "to this file for wrk (deploy/wrk/opens.lua, grabs.lua), instead of storming")
    Path wrkPlan;

    @Option(names = "--admin-key", defaultValue = "${env:HONGBAO_ADMIN_KEY}", description = "the server's admin key, for --http (HONGBAO_ADMIN_KEY)")
    String adminKey;

    @Option(names = "--out", defaultValue = "target/bench.json",
            description = "JSON results file, its directories created if need be (default: ${DEFAULT-VALUE}, so that a run "
                    + "in the project never overwrites the published figures in docs/bench)")
    Path out;

    @Option(names = "--svg", description = "chart file (default: the JSON file's name with .svg, beside it)")
    Path svg;

    @Override
    public Integer call() throws Exception {
        if (http != null) {
            return overHttp();
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String name : sustained != null ? List.<String>of() : scenarios) {
            chosen.add(switch (name) {
                case "hot" -> quick ? Scenario.hot(200, 1_000) : Scenario.hot(1_000, 5_000);
                case "storm" -> quick ? Scenario.storm(100, 1.5, stormClients != null ? stormClients : 100, 7)
                        : Scenario.storm(2_000, 1.5, stormClients != null ? stormClients : 2_000, 7);
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "unknown scenario " + name + " (hot, storm)");
            });
        }
        if (sustained != null) {
            chosen.add(Scenario.sustained(sustained, SUSTAINED_PLAN_RATE, stormClients != null ? stormClients : 2_000, 7));
        }
        for (String design : designs) {
            if (!Bench.DESIGNS.contains(design)) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "unknown design " + design + " " + Bench.DESIGNS);
            }
        }
        int repetitions = reps != null ? reps : quick ? 1 : 3;
        Duration limit = Duration.ofSeconds(sustained != null ? sustained : seconds != null ? seconds : quick ? 5 : 20);
        Bench.Settings settings = new Bench.Settings(chosen, designs, repetitions, limit, 64, workers, maxBatch,
                lockConnections, postgres, history);
        System.out.printf("bench: %d cores, Java %s, %s, %d repetition(s), %s per run at most%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                postgres == null ? "SQLite" : "PostgreSQL", repetitions, limit);
        List<Summary> summaries = new Bench(settings, System.out).run().stream().map(Summary::of).toList();
        return report(summaries);
    }

    private int overHttp() throws Exception {
        if (adminKey == null || adminKey.isBlank()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--http needs the server's admin key (--admin-key or HONGBAO_ADMIN_KEY)");
        }
        int repetitions = reps != null ? reps : quick ? 1 : 3;
        Duration limit = Duration.ofSeconds(seconds != null ? seconds : quick ? 5 : 20);
        Scenario scenario = Scenario.storm(quick ? 100 : wrkPlan != null ? 2_000 : 500, 1.5, stormClients != null ? stormClients : 2_000, 7);
        HttpLoad load = new HttpLoad(http, adminKey, System.out);
        if (wrkPlan != null) {
            load.writePlan(scenario, wrkPlan);
            return 0;
        }
        List<RunResult> runs = new ArrayList<>();
        for (int rep = 1; rep <= repetitions; rep++) {
            RunResult result = load.run(scenario, rep, limit);
            System.out.printf("  http   rep %d: %,10.0f opens/s  p99 %,8d us  acks %,d  failed %,d  audit %s%n", rep,
                    result.opensPerSecond(), result.p99Micros(), result.acks(), result.failed(),
                    result.balanced() ? "balanced" : "UNBALANCED");
            runs.add(result);
        }
        return report(List.of(Summary.of(new Bench.ScenarioResult(scenario, runs))));
    }

    private int report(List<Summary> summaries) throws java.io.IOException {
        Report.print(summaries, System.out);
        Path chart = svg != null ? svg : Path.of(out.toString().replaceFirst("\\.json$", "") + ".svg");
        for (Path file : List.of(out, chart)) {
            Path directory = file.toAbsolutePath().getParent();
            java.nio.file.Files.createDirectories(directory);
        }
        Report.writeJson(summaries, out);
        Report.writeSvg(summaries, chart);
        System.out.println("\nwrote " + out + " and " + chart);
        boolean balanced = summaries.stream().allMatch(s -> s.designs().stream().allMatch(Summary.DesignFigures::balanced));
        return balanced ? 0 : 1;
    }
}
