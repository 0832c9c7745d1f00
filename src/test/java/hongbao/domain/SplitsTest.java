package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitsTest {

    @Test
    void everyPositionHasTheSameExpectation() {
        // DESIGN.md §6: some systems made the first grabber ~7x luckier. Pre-allocation plus shuffling must not.
        int count = 10;
        long total = 10_000;
        int rounds = 40_000;
        double[] sums = new double[count];
        Random random = new Random(42);
        for (int round = 0; round < rounds; round++) {
            long[] shares = Splits.lucky(total, count, 1, 20_000, false, random);
            for (int i = 0; i < count; i++) {
                sums[i] += shares[i];
            }
        }
        double fair = (double) total / count;
        for (int i = 0; i < count; i++) {
            assertThat(sums[i] / rounds).as("mean of position %d", i).isCloseTo(fair, org.assertj.core.data.Percentage.withPercentage(3));
        }
    }

    @Test
    void oneYuanSplitEighteenWaysNeverGoesNegative() {
        // The classic rounding bug: 1.00 split 18 ways at 2 decimals gave a last share of -0.02.
        for (int seed = 0; seed < 1_000; seed++) {
            long[] shares = Splits.lucky(100, 18, 1, 20_000, false, new Random(seed));
            assertThat(Arrays.stream(shares).sum()).isEqualTo(100);
            assertThat(Arrays.stream(shares).min().orElseThrow()).isPositive();
        }
    }

    @Test
    void theLastShareNeverLandsAboveTheCap() {
        for (int seed = 0; seed < 1_000; seed++) {
            long[] shares = Splits.lucky(100 * 20_000 - 1, 100, 1, 20_000, false, new Random(seed));
            assertThat(Arrays.stream(shares).min().orElseThrow()).isPositive();
            assertThat(Arrays.stream(shares).max().orElseThrow()).isLessThanOrEqualTo(20_000L);
        }
    }

    @Test
    void distinctSplitAtItsTightestIsAPermutationOfTheOnlyAnswer() {
        long[] shares = Splits.lucky(1 + 2 + 3 + 4 + 5, 5, 1, 20_000, true, new Random(7));
        assertThat(shares).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void distinctIsInfeasibleWhenTheRangeIsTooNarrow() {
        assertThat(Splits.feasible(14, 5, 1, 20_000, true)).isFalse();
        assertThat(Splits.feasible(10, 3, 1, 3, true)).isFalse();
        assertThat(Splits.feasible(6, 3, 1, 3, true)).isTrue();
    }

    @Test
    void equalSplitNeedsADivisibleTotal() {
        assertThatThrownBy(() -> Splits.equal(10, 3)).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
}
