package hongbao.sim;

import hongbao.store.StoreException;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Decides, from the seed, which store operation goes wrong and how. Each run draws its own rates (swarm testing: some
 * runs crash often, some lie about commits, some are slow), so that one kind of fault does not mask another.
 */
final class Faults {
    private final SplittableRandom random;
    private final SimClock clock;
    private final double crashPerStatement;
    private final double failedCommit;
    private final double lostReply;
    private final double crashAfterCommit;
    private final double slowCommit;
    private boolean enabled;
    private boolean dead;
    private int crashes;
    private long commits;
    private StoreException injected;
    private RuntimeException unexpected;

    Faults(SplittableRandom random, SimClock clock) {
        this.random = random;
        this.clock = clock;
        this.crashPerStatement = rate(0.004);
        this.failedCommit = rate(0.05);
        this.lostReply = rate(0.04);
        this.crashAfterCommit = rate(0.02);
        this.slowCommit = rate(0.1);
    }

    /** Half the runs leave a kind of fault out; the others draw its rate up to {@code max}. */
    private double rate(double max) {
        return random.nextBoolean() ? 0 : random.nextDouble() * max;
    }

    void enable(boolean on) {
        enabled = on;
    }

    /** After a crash every call of the dead process fails the same way, until the simulation starts a new one. */
    void checkAlive(String where) {
        if (dead) {
            throw new SimulatedCrash("(dead process) " + where);
        }
    }

    void beforeStatement(String statement) {
        checkAlive(statement);
        if (enabled && random.nextDouble() < crashPerStatement) {
            crash("before " + statement);
        }
    }

    void beforeCommit() {
        if (!enabled) {
            return;
        }
        if (random.nextDouble() < slowCommit) {
            clock.advance(Duration.ofMillis(1 + random.nextLong(30_000)));
        }
        if (random.nextDouble() < failedCommit) {
            throw inject("simulated: the commit failed");
        }
    }

    void afterCommit() {
        commits++;
        if (!enabled) {
            return;
        }
        if (random.nextDouble() < crashAfterCommit) {
            crash("after a commit, before its reply");
        }
        if (random.nextDouble() < lostReply) {
            throw inject("simulated: the commit succeeded but reported failure");
        }
    }

    private StoreException inject(String message) {
        injected = new StoreException(message, null);
        return injected;
    }

    /**
     * A transaction failed. Every failure in a simulation is injected, so any other one means the service wrote what
     * the database refused (a constraint, escrow that cannot cover a payout): the engine's state was wrong.
     */
    void failed(RuntimeException failure) {
        if (failure != injected && unexpected == null) {
            unexpected = failure;
        }
    }

    /** The first failure that was not injected, if any. */
    RuntimeException unexpectedFailure() {
        return unexpected;
    }

    /** A crash the simulator itself decides on, between two steps. */
    void crash(String where) {
        dead = true;
        crashes++;
        throw new SimulatedCrash(where);
    }

    void restarted() {
        dead = false;
    }

    boolean dead() {
        return dead;
    }

    /** Commits so far: while it stays the same, nothing durable has changed. */
    long commits() {
        return commits;
    }

    int crashes() {
        return crashes;
    }
}
