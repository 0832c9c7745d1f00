package hongbao.sim;

/**
 * The simulated process dies here. An {@link Error}, not an exception: the service catches exceptions to answer 503
 * and carry on, but nothing of a dead process may carry on, so nothing in it may catch this.
 */
final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
        super("simulated crash " + where, null, false, false);
    }
}
