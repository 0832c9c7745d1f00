package hongbao.bench;

import java.util.Optional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians per design and the ratios the issue asks for, computed from the raw runs of one bench. */
record Summary(String scenario, int packets, int shares, int opens, int concurrency, List<DesignFigures> designs,
        Map<String, Double> ratios, List<RunResult> runs) {

    /** The median repetition's figures (by opens/s); failures and retries summed over repetitions. */
    record DesignFigures(String design, double opensPerSecondMedian, long p50Micros, long p99Micros, long p999Micros,
            long failed, long retries, boolean balanced, int reps) {
    }

    static Summary of(Bench.ScenarioResult result) {
        Map<String, List<RunResult>> byDesign = new LinkedHashMap<>();
        for (RunResult run : result.runs()) {
            byDesign.computeIfAbsent(run.design(), d -> new ArrayList<>()).add(run);
        }
        List<DesignFigures> figures = new ArrayList<>();
        for (Map.Entry<String, List<RunResult>> entry : byDesign.entrySet()) {
            List<RunResult> sorted = entry.getValue().stream()
                    .sorted(Comparator.comparingDouble(RunResult::opensPerSecond)).toList();
            RunResult median = sorted.get(sorted.size() / 2);
            figures.add(new DesignFigures(entry.getKey(), median.opensPerSecond(), median.p50Micros(), median.p99Micros(),
                    median.p999Micros(), sorted.stream().mapToLong(RunResult::failed).sum(),
                    sorted.stream().mapToLong(RunResult::retries).sum(),
                    sorted.stream().allMatch(RunResult::balanced), sorted.size()));
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        figure(figures, "engine").ifPresent(engine -> {
            for (String other : List.of("engine-tables", "pessimistic", "optimistic", "ceiling", "ceiling-100",
                    "ceiling-layout")) {
                figure(figures, other).ifPresent(o -> ratios.put("engine/" + other,
                        o.opensPerSecondMedian() == 0 ? Double.POSITIVE_INFINITY : engine.opensPerSecondMedian() / o.opensPerSecondMedian()));
            }
        });
        for (DesignFigures f : figures) {
            figure(figures, f.design() + Bench.WITH_HISTORY).ifPresent(withHistory -> ratios.put(
                    f.design() + Bench.WITH_HISTORY + "/" + f.design(),
                    withHistory.opensPerSecondMedian() / f.opensPerSecondMedian()));
        }
        Scenario s = result.scenario();
        int opens = s.shareCounts().stream().mapToInt(s::openersFor).sum();
        return new Summary(s.name(), s.shareCounts().size(), s.totalShares(), opens, s.concurrency(), figures, ratios,
                result.runs());
    }

    private static Optional<DesignFigures> figure(List<DesignFigures> figures, String design) {
        return figures.stream().filter(f -> f.design().equals(design)).findFirst();
    }
}
