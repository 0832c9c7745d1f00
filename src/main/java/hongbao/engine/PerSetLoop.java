package hongbao.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background thread per SET that runs a pass of durable work until a pass finds nothing, then waits for a wake-up
 * or the idle poll. The work lives in the database (outbox rows, queued jobs), so a missed wake-up, a failed pass or
 * a restart only delays it.
 */
final class PerSetLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PerSetLoop.class);

    private final String name;
    private final Duration idlePoll;
    private final IntUnaryOperator pass;
    private final Map<Integer, Semaphore> wakeUps = new TreeMap<>();
    /** One pass per SET at a time, so the thread and {@link #drainAll} never take the same work twice. */
    private final Map<Integer, Object> passLocks = new TreeMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param sets the SETs this node owns: the work of the others is their owners'
     * @param pass does one batch of the SET's work and returns how much it did; 0 means nothing is left
     */
    PerSetLoop(String name, List<Integer> sets, Duration idlePoll, IntUnaryOperator pass) {
        this.name = name;
        this.idlePoll = idlePoll;
        this.pass = pass;
        for (int set : sets) {
            wakeUps.put(set, new Semaphore(0));
            passLocks.put(set, new Object());
        }
    }

    void start() {
        for (int set : wakeUps.keySet()) {
            threads.add(Thread.ofPlatform().name(name + "-" + set).start(() -> loop(set)));
        }
    }

    /** Wakes the SET's thread; a SET another node owns has none here, and its owner polls its own work. */
    void wake(int set) {
        Semaphore wakeUp = wakeUps.get(set);
        if (wakeUp != null) {
            wakeUp.release();
        }
    }

    private void loop(int set) {
        while (running) {
            try {
                while (running && runPass(set) > 0) {
                    wakeUps.get(set).drainPermits();
                }
                wakeUps.get(set).tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("{} of SET {} failed; the work stays queued and the next pass retries", name, set, e);
                backOff(set);
            }
        }
    }

    private int runPass(int set) {
        synchronized (passLocks.get(set)) {
            return pass.applyAsInt(set);
        }
    }

    /** Runs passes in every SET on the caller's thread until none finds work: for a start after a crash, and tests. */
    void drainAll() {
        for (int set : wakeUps.keySet()) {
            int done;
            do {
                done = runPass(set);
            } while (done > 0);
        }
    }

    /** After a failure, wait for the idle poll (or a stop) instead of failing again at once. */
    private void backOff(int set) {
        try {
            wakeUps.get(set).tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        for (int set : wakeUps.keySet()) {
            wake(set);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping " + name, e);
            }
        }
    }
}
