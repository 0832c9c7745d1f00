package hongbao.http;

import hongbao.app.JournalDerivation;
import hongbao.app.RecentRefunds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import hongbao.engine.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the operator page shows, read from the same meters that {@code /metrics} serves, as JSON the page needs no
 * Prometheus parser for. Counters and totals are cumulative (the page turns two readings into rates); percentiles
 * and maxima cover Micrometer's recent window (about two minutes).
 */
public final class OperatorSummary {
    private final MeterRegistry meters;
    private final Supplier<List<RecentRefunds.Refund>> recentRefunds;
    private final Clock clock;

    public OperatorSummary(MeterRegistry meters, Supplier<List<RecentRefunds.Refund>> recentRefunds, Clock clock) {
        this.meters = meters;
        this.recentRefunds = recentRefunds;
        this.clock = clock;
    }

    record Distribution(long count, double total, double p50, double p99, double max) {
    }

    record QueueDepth(long total, Map<String, Long> workers) {
    }

    /** Acknowledged opens journaled and not yet derived into the tables, by SET. */
    record JournalBacklog(long total, Map<String, Long> sets) {
    }

    /**
     * @param opens            opens answered since start, by outcome ({@code ok} or the refusal's code)
     * @param lastOpenAt       when the last open was answered; null if none since start
     * @param openedLastMinute whether any open was answered in the last minute: if not, the recent percentiles
     *                         describe old traffic and the page says the service is idle instead
     */
    record Summary(Map<String, Long> opens, Instant lastOpenAt, boolean openedLastMinute, Map<String, Long> grabs,
            Map<String, Long> sends, QueueDepth queueDepth, JournalBacklog journalBacklog, Distribution batchSize,
            Distribution commitLatencyMs, List<RecentRefunds.Refund> recentRefunds) {
    }

    Summary read() {
        Instant lastOpen = lastOpen();
        return new Summary(countsByOutcome(EngineMetrics.OPENS), lastOpen,
                lastOpen != null && lastOpen.isAfter(clock.instant().minus(Duration.ofMinutes(1))),
                countsByOutcome("hongbao.grabs"), countsByOutcome("hongbao.sends"), queueDepth(), journalBacklog(), batchSize(),
                commitLatency(), recentRefunds.get());
    }

    private Instant lastOpen() {
        Gauge gauge = meters.find(EngineMetrics.LAST_OPEN).gauge();
        double seconds = gauge == null ? 0 : gauge.value();
        return seconds > 0 ? Instant.ofEpochMilli(Math.round(seconds * 1000)) : null;
    }

    private Map<String, Long> countsByOutcome(String name) {
        Map<String, Long> counts = new TreeMap<>();
        for (Counter counter : meters.find(name).counters()) {
            counts.merge(counter.getId().getTag("outcome"), (long) counter.count(), Long::sum);
        }
        return counts;
    }

    private QueueDepth queueDepth() {
        Map<String, Long> workers = gaugesByTag("hongbao.queue.depth", "worker");
        return new QueueDepth(sum(workers), workers);
    }

    private JournalBacklog journalBacklog() {
        Map<String, Long> sets = gaugesByTag(JournalDerivation.BACKLOG, "set");
        return new JournalBacklog(sum(sets), sets);
    }

    private Map<String, Long> gaugesByTag(String name, String tag) {
        Map<String, Long> values = new TreeMap<>();
        for (Gauge gauge : meters.find(name).gauges()) {
            values.put(gauge.getId().getTag(tag), (long) gauge.value());
        }
        return values;
    }

    private static long sum(Map<String, Long> values) {
        return values.values().stream().mapToLong(Long::longValue).sum();
    }

    private Distribution batchSize() {
        var summary = meters.find("hongbao.batch.size").summary();
        if (summary == null) {
            return new Distribution(0, 0, 0, 0, 0);
        }
        HistogramSnapshot snapshot = summary.takeSnapshot();
        return new Distribution(snapshot.count(), snapshot.total(), percentile(snapshot, 0.5, null),
                percentile(snapshot, 0.99, null), snapshot.max());
    }

    private Distribution commitLatency() {
        var timer = meters.find("hongbao.commit.latency").timer();
        if (timer == null) {
            return new Distribution(0, 0, 0, 0, 0);
        }
        HistogramSnapshot snapshot = timer.takeSnapshot();
        TimeUnit ms = TimeUnit.MILLISECONDS;
        return new Distribution(snapshot.count(), snapshot.total(ms), percentile(snapshot, 0.5, ms),
                percentile(snapshot, 0.99, ms), snapshot.max(ms));
    }

    private static double percentile(HistogramSnapshot snapshot, double which, TimeUnit unit) {
        for (ValueAtPercentile value : snapshot.percentileValues()) {
            if (value.percentile() == which) {
                return unit == null ? value.value() : value.value(unit);
            }
        }
        return 0;
    }
}
