package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static hongbao.testing.Properties.tries;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class SplitsProperties {
    private static final int TRIES = 1000;

    /** A lucky split asked for: its shares must lie in min..max, all different when distinct. */
    record LuckyOrder(int count, long min, long max, long total, boolean distinct) {
        boolean feasible() {
            return Splits.feasible(total, count, min, max, distinct);
        }
    }

    private static Gen<Integer> counts() {
        return integers().between(1, 100);
    }

    private static Gen<Long> totals() {
        return longs().between(1, 2_000_000);
    }

    private static Gen<LuckyOrder> luckyOrders() {
        return counts().zip(longs().between(1, 50), longs().between(0, 20_000), totals(), booleans().all(),
                (count, min, spread, total, distinct) -> new LuckyOrder(count, min, min + spread, total, distinct));
    }

    @Test
    void luckySplitsSumExactlyAndRespectBounds() {
        tries(TRIES).forAll(luckyOrders(), longs().all())
                .assuming((order, seed) -> order.feasible())
                .checkAssert((order, seed) -> {
                    long[] shares = Splits.lucky(order.total(), order.count(), order.min(), order.max(),
                            order.distinct(), new Random(seed));

                    assertThat(shares).hasSize(order.count());
                    assertThat(Arrays.stream(shares).sum()).isEqualTo(order.total());
                    assertThat(Arrays.stream(shares).min().orElseThrow()).isGreaterThanOrEqualTo(order.min());
                    assertThat(Arrays.stream(shares).max().orElseThrow()).isLessThanOrEqualTo(order.max());
                    if (order.distinct()) {
                        assertThat(Arrays.stream(shares).distinct().count()).isEqualTo(order.count());
                    }
                });
    }

    @Test
    void infeasibleLuckySplitsAreRejectedNotRetried() {
        long min = 1;
        long max = 20_000;
        tries(TRIES).forAll(counts(), totals(), booleans().all())
                .assuming((count, total, distinct) -> !Splits.feasible(total, count, min, max, distinct))
                .checkAssert((count, total, distinct) ->
                        assertThatThrownBy(() -> Splits.lucky(total, count, min, max, distinct, new Random(1)))
                                .isInstanceOfSatisfying(Rejection.class,
                                        r -> assertThat(r.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED)));
    }

    @Test
    void feasibilityMatchesTheArithmeticBounds() {
        tries(TRIES).forAll(counts(), totals()).checkAssert((count, total) -> {
            boolean expected = total >= count && total <= 20_000L * count;
            assertThat(Splits.feasible(total, count, 1, 20_000, false)).isEqualTo(expected);
        });
    }

    @Test
    void equalSplitsGiveEveryoneTheSame() {
        tries(TRIES).forAll(counts(), longs().between(1, 20_000)).checkAssert((count, share) -> {
            long[] shares = Splits.equal(share * count, count);

            assertThat(shares).hasSize(count).containsOnly(share);
        });
    }
}
