package hongbao.sim;

import hongbao.store.StoreException;
import java.sql.SQLException;
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
    private final double sqlCrashBeforeCommit;
    private final double sqlFailedCommit;
    private final double sqlLostReply;
    private final double sqlCrashAfterCommit;
    private boolean enabled;
    private boolean dead;
    private int crashes;
    private long commits;
    private StoreException injected;
    private RuntimeException unexpected;
    /** While a taken-over node acts, the fence refusing its writes is what must happen. */
    private boolean staleOwnerActing;

    Faults(SplittableRandom random, SimClock clock) {
        this.random = random;
        this.clock = clock;
        this.crashPerStatement = rate(0.004);
        this.failedCommit = rate(0.05);
        this.lostReply = rate(0.04);
        this.crashAfterCommit = rate(0.02);
        this.slowCommit = rate(0.1);
        this.sqlCrashBeforeCommit = rate(0.03);
        this.sqlFailedCommit = rate(0.1);
        this.sqlLostReply = rate(0.1);
        this.sqlCrashAfterCommit = rate(0.03);
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
        if (injecting() && random.nextDouble() < crashPerStatement) {
            crash("before " + statement);
        }
    }

    void beforeCommit() {
        if (!injecting()) {
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
        if (!injecting()) {
            return;
        }
        if (random.nextDouble() < crashAfterCommit) {
            crash("after a commit, before its reply");
        }
        if (random.nextDouble() < lostReply) {
            // As the store reports a COMMIT whose answer was lost: the caller cannot tell it from one that failed.
            injected = new hongbao.store.CommitOutcomeUnknown(
                    new InjectedSqlFault("simulated: the commit succeeded but its reply was lost"));
            throw injected;
        }
    }

    /**
     * A COMMIT on one of the store's own connections (its tables' writer or its journal's): derivation, the journal's
     * append, trim and recovery commit there without passing the port, so their faults are decided here. The process
     * may die before or after the COMMIT, the COMMIT may fail (nothing kept), or it may take effect and still report a
     * failure: the reply lost on its way back.
     */
    void commitOnConnection(String connection, SqlCommit commit) throws SQLException {
        checkAlive("COMMIT on " + connection);
        if (injecting() && random.nextDouble() < sqlCrashBeforeCommit) {
            crash("before COMMIT on " + connection);
        }
        if (injecting() && random.nextDouble() < sqlFailedCommit) {
            commit.rollBack();
            throw new InjectedSqlFault("simulated: COMMIT on " + connection + " failed");
        }
        commit.commit();
        commits++;
        if (injecting() && random.nextDouble() < sqlCrashAfterCommit) {
            crash("after COMMIT on " + connection + ", before its reply");
        }
        if (injecting() && random.nextDouble() < sqlLostReply) {
            throw new InjectedSqlFault("simulated: COMMIT on " + connection + " took effect but its reply was lost");
        }
    }

    /** The real COMMIT, and the ROLLBACK that stands for a COMMIT the database refused. */
    interface SqlCommit {
        void commit() throws SQLException;

        void rollBack() throws SQLException;
    }

    /** A database error the simulation made up: the store sees it as the driver's own. */
    static final class InjectedSqlFault extends SQLException {
        InjectedSqlFault(String message) {
            super(message, "08006");
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
        if (failure != injected && !fromInjectedSqlFault(failure) && !(staleOwnerActing && fenced(failure))
                && unexpected == null) {
            unexpected = failure;
        }
    }

    /** While on, no fault is injected, and the fence's refusals are expected (see {@link Simulation}'s takeovers). */
    void staleOwnerActing(boolean acting) {
        staleOwnerActing = acting;
    }

    private boolean injecting() {
        return enabled && !staleOwnerActing;
    }

    private static boolean fenced(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof hongbao.store.Fenced) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure is (caused by) a fault injected on a connection, whatever the store wrapped it in. */
    private static boolean fromInjectedSqlFault(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InjectedSqlFault) {
                return true;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (fromInjectedSqlFault(suppressed)) {
                    return true;
                }
            }
        }
        return false;
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
