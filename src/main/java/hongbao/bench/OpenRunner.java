package hongbao.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Replays a plan of opens through a design from many concurrent clients, bounded in time. */
final class OpenRunner {
    private static final int MAX_PLATFORM_CLIENTS = 64;

    private OpenRunner() {
    }

    record Counts(long acks, long refused, long failed, double seconds, Latencies latencies) {
    }

    static Counts run(Design design, List<Fixture.PlannedOpen> plan, int concurrency, Duration limit) throws Exception {
        int clients = design.needsPlatformThreads() ? Math.min(concurrency, MAX_PLATFORM_CLIENTS) : concurrency;
        AtomicInteger next = new AtomicInteger();
        AtomicLong acks = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Latencies latencies = new Latencies();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        try (ExecutorService pool = design.needsPlatformThreads() ? Executors.newFixedThreadPool(clients)
                : Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>(clients);
            for (int c = 0; c < clients; c++) {
                tasks.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    long deadline = window[0] + limit.toNanos();
                    int index;
                    while ((index = next.getAndIncrement()) < plan.size() && System.nanoTime() < deadline) {
                        Fixture.PlannedOpen open = plan.get(index);
                        long started = System.nanoTime();
                        switch (design.open(open.packetId(), open.userId())) {
                            case ACK -> {
                                latencies.add(System.nanoTime() - started);
                                acks.incrementAndGet();
                            }
                            case REFUSED -> refused.incrementAndGet();
                            case FAILED -> failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            ready.await();
            window[0] = System.nanoTime();
            go.countDown();
            for (Future<?> task : tasks) {
                task.get();
            }
            window[1] = System.nanoTime();
        }
        return new Counts(acks.get(), refused.get(), failed.get(), (window[1] - window[0]) / 1e9, latencies);
    }
}
