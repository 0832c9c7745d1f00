package hongbao.testing;

import org.quicktheories.QuickTheory;

/**
 * Where every property test starts. A failure reports the smallest falsifying value found and the seed; rerun it
 * with {@code -DQT_SEED=<seed>}.
 */
public final class Properties {
    /**
     * QuickTheories gives up on a property once this many values generated in a row miss its assumptions. Its
     * default, 10, gives up within a few hundred tries on assumptions that reject half of what is generated.
     */
    private static final int ATTEMPTS_PER_TRY = 100;

    private Properties() {
    }

    public static QuickTheory tries(int tries) {
        return QuickTheory.qt().withExamples(tries).withGenerateAttempts(ATTEMPTS_PER_TRY);
    }
}
