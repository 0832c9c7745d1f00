package hongbao.sim;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import hongbao.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs the deterministic simulation over many seeds. By default 2,000 seeds from a fresh start seed (CI), every one of
 * them however long a loaded machine takes; with
 * {@code -Dsim.seed=N} that one seed (a replay); with {@code -Dsim.seconds=S} as many seeds as fit in S seconds (the
 * long mode). A failing seed fails the test with the one command that replays it.
 */
class SimulationTest {
    private static final int STEPS = Integer.getInteger("sim.steps", 50);
    private static final Logger SERVICE_LOG = (Logger) LoggerFactory.getLogger("hongbao");
    private static Level serviceLogLevel;

    /** The service logs every failed commit with its stack; thousands of injected ones would only slow the run. */
    @BeforeAll
    static void quietService() {
        serviceLogLevel = SERVICE_LOG.getLevel();
        SERVICE_LOG.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreLog() {
        SERVICE_LOG.setLevel(serviceLogLevel);
    }

    @Test
    void everySeedKeepsEveryInvariantAndAnswer() throws Exception {
        String replay = System.getProperty("sim.seed");
        if (replay != null) {
            runOrExplain(Long.parseLong(replay));
            return;
        }
        long start = Long.getLong("sim.start", new SplittableRandom().nextLong());
        long seconds = Long.getLong("sim.seconds", 0);
        long seeds = seconds > 0 ? Long.MAX_VALUE : Long.getLong("sim.seeds", 2_000);
        // CI runs every one of its seeds however loaded the machine: a budget of time would let a planted bug slip.
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong next = new AtomicLong(start);
        AtomicLong done = new AtomicLong();
        AtomicLong crashes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long began = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> runners = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            runners.add(pool.submit(() -> {
                while (failure.get() == null && (seconds == 0 || System.nanoTime() - deadline < 0)) {
                    long seed = next.getAndIncrement();
                    if (seed - start >= seeds) {
                        return;
                    }
                    try {
                        crashes.addAndGet(runOrExplain(seed).crashes());
                    } catch (Throwable t2) {
                        failure.compareAndSet(null, t2);
                        return;
                    }
                    done.incrementAndGet();
                }
            }));
        }
        for (Future<?> runner : runners) {
            runner.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        System.out.printf("simulation: %d seeds from %d, %d steps each, %d crashes and restarts, in %d ms%n", done.get(),
                start, STEPS, crashes.get(), millis);
        if (failure.get() != null) {
            throw new AssertionError(failure.get().getMessage(), failure.get());
        }
    }

    /** Several seeds, since one run may never reach a given source of randomness (a lucky packet's split, a draw). */
    @Test
    void theSameSeedGivesTheSameTrace() {
        SplittableRandom seeds = new SplittableRandom();
        for (int run = 0; run < 10; run++) {
            long seed = seeds.nextLong();
            String first = inTempDir(dir -> Simulation.run(seed, STEPS, dir)).traceHash();
            String second = inTempDir(dir -> Simulation.run(seed, STEPS, dir)).traceHash();
            assertThat(second).as("trace of seed " + seed).isEqualTo(first);
        }
    }

    /** Runs a seed; if anything fails, the error names the seed and the one command that replays it. */
    private static Simulation.Result runOrExplain(long seed) {
        try {
            return inTempDir(dir -> Simulation.run(seed, STEPS, dir));
        } catch (Throwable failure) {
            throw new AssertionError("simulation seed " + seed + " failed: " + failure
                    + "\n  replay: mvn -o -Psim-long test -Dsim.seed=" + seed
                    + (STEPS != 50 ? " -Dsim.steps=" + STEPS : ""), failure);
        }
    }

    private static <T> T inTempDir(java.util.function.Function<Path, T> work) {
        Path dir = TestServer.freshDir();
        try {
            return work.apply(dir);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
