package hongbao.engine;

import java.util.List;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The engine's meters: opens and sends by outcome, batch sizes, commit latency, queue depth. */
public final class EngineMetrics {
    /** Every open answered, by outcome: {@code ok} or the refusal's error code in lower case. */
    public static final String OPENS = "hongbao.opens";
    /** Time from an open's arrival to its answer (its group commit included), by outcome; a histogram. */
    public static final String OPEN_LATENCY = "hongbao.open.latency";
    /** Epoch seconds of the last open answered. */
    public static final String LAST_OPEN = "hongbao.last.open.timestamp";

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final AtomicLong lastOpenMillis = new AtomicLong();
    private final Map<String, OpenMeters> openMeters = new ConcurrentHashMap<>();
    private final Map<String, Counter> grabs = new ConcurrentHashMap<>();

    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(LAST_OPEN, lastOpenMillis, millis -> millis.get() / 1000.0).baseUnit("seconds")
                .description("when the last open was answered, whatever its outcome (0: none since start)")
                .register(registry);
        this.batchSize = DistributionSummary.builder("hongbao.batch.size").description("commands per group commit")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.commitLatency = Timer.builder("hongbao.commit.latency").description("time to write and commit one batch")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** Mean commands per group commit and mean commit time in ms so far: for the bench's diagnostics. */
    public String batchSummary() {
        return String.format("batches %d, mean size %.0f, mean commit %.1f ms", batchSize.count(), batchSize.mean(),
                commitLatency.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    /**
     * Counts an answered open by its outcome: {@code ok} or the refusal's error code (BUSY, EXPIRED, ...), and how long
     * it took. Its latency is a histogram (buckets), so that dashboards can take quantiles over several nodes.
     */
    public void open(java.util.Optional<hongbao.domain.ErrorCode> refusal, java.time.Instant at, Duration took) {
        String outcome = refusal.map(code -> code.name().toLowerCase(java.util.Locale.ROOT)).orElse("ok");
        OpenMeters meters = openMeters.computeIfAbsent(outcome, this::openMeters);
        meters.answered().increment();
        meters.latency().record(took);
        lastOpenMillis.accumulateAndGet(at.toEpochMilli(), Math::max);
    }

    /** An open's meters for one outcome, registered once: a meter's lookup by name and tags costs more than its count. */
    private record OpenMeters(Counter answered, Timer latency) {
    }

    private OpenMeters openMeters(String outcome) {
        return new OpenMeters(
                Counter.builder(OPENS).description("opens answered, by outcome").tag("outcome", outcome).register(registry),
                Timer.builder(OPEN_LATENCY).description("time to answer an open, its group commit included, by outcome")
                        .tag("outcome", outcome).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry));
    }

    void send(String outcome) {
        Counter.builder("hongbao.sends").tag("outcome", outcome).register(registry).increment();
    }

    void crossSetCredits(int fromSet, int toSet, int count) {
        Counter.builder("hongbao.cross.set.credits").tag("from", Integer.toString(fromSet)).tag("to", Integer.toString(toSet))
                .register(registry).increment(count);
    }

    public void grab(String outcome) {
        grabs.computeIfAbsent(outcome, o -> Counter.builder("hongbao.grabs").tag("outcome", o).register(registry))
                .increment();
    }

    void batch(int size, Duration commit) {
        batchSize.record(size);
        commitLatency.record(commit);
    }

    void watchQueue(int worker, BlockingQueue<?> queue) {
        registry.gauge("hongbao.queue.depth", List.of(Tag.of("worker",
                Integer.toString(worker))), queue, BlockingQueue::size);
    }
}
