package hongbao.engine;

/**
 * Named places where a crash test may make the process die at once (system property {@code hongbao.failpoint}),
 * so that recovery from exactly that moment is tested with a real process rather than simulated.
 */
final class Failpoint {
    static final String RELAY_BETWEEN_SETS = "relay-between-sets";
    static final String PAYMENT_NOTIFIED = "payment-notified";
    private static final String ARMED = System.getProperty("hongbao.failpoint", "");

    private Failpoint() {
    }

    static void hit(String name) {
        if (ARMED.equals(name)) {
            // halt, not exit: no shutdown hooks, no flushing — as abrupt as a kill -9.
            Runtime.getRuntime().halt(86);
        }
    }
}
