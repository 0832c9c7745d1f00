package hongbao.engine;

import java.util.function.IntConsumer;

/**
 * Who the workers tell, after a commit, that a SET has new background work: credits in its outbox for the relay,
 * reconciler passes for the reconciler. Both also poll, so a lost signal only delays the work.
 */
public record EngineListeners(IntConsumer outboxWritten, IntConsumer reconcileQueued) {
    /** For a single SET without third-party payments, as the benchmark runs it. */
    public static final EngineListeners NONE = new EngineListeners(set -> { }, set -> { });
}
