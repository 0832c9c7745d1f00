package hongbao.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named places where a crash test may make the process die at once (system property {@code hongbao.failpoint}), so
 * that recovery from exactly that moment is tested with a real process rather than simulated. With
 * {@code hongbao.failpoint.pass=N} the first N hits pass and the next one dies: a crash in the middle of a run.
 */
public final class Failpoint {
    public static final String RELAY_BETWEEN_SETS = "relay-between-sets";
    public static final String PAYMENT_NOTIFIED = "payment-notified";
    /** A campaign batch's packets are committed and their wins not yet marked paid. */
    public static final String CAMPAIGN_BATCH_SENT = "campaign-batch-sent";
    /** A batch of opens is in the journal and not yet acknowledged, derived or even known to be pending. */
    public static final String JOURNAL_APPENDED = "journal-appended";
    /** Half of a derivation batch's rows are written, uncommitted. */
    public static final String MID_DERIVATION = "mid-derivation";
    private static final String ARMED = System.getProperty("hongbao.failpoint", "");
    private static final int PASSES = Integer.getInteger("hongbao.failpoint.pass", 0);
    private static final AtomicInteger HITS = new AtomicInteger();

    private Failpoint() {
    }

    public static void hit(String name) {
        if (ARMED.equals(name) && HITS.incrementAndGet() > PASSES) {
            // halt, not exit: no shutdown hooks, no flushing — as abrupt as a kill -9.
            Runtime.getRuntime().halt(86);
        }
    }
}
