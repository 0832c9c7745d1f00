package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class SplitsProperties {

    @Property
    void luckySplitsSumExactlyAndRespectBounds(@ForAll @IntRange(min = 1, max = 100) int count,
            @ForAll @LongRange(min = 1, max = 50) long min, @ForAll @LongRange(min = 0, max = 20_000) long spread,
            @ForAll @LongRange(min = 1, max = 2_000_000) long total, @ForAll boolean distinct, @ForAll long seed) {
        long max = min + spread;
        Assume.that(Splits.feasible(total, count, min, max, distinct));

        long[] shares = Splits.lucky(total, count, min, max, distinct, new Random(seed));

        assertThat(shares).hasSize(count);
        assertThat(Arrays.stream(shares).sum()).isEqualTo(total);
        assertThat(Arrays.stream(shares).min().orElseThrow()).isGreaterThanOrEqualTo(min);
        assertThat(Arrays.stream(shares).max().orElseThrow()).isLessThanOrEqualTo(max);
        if (distinct) {
            assertThat(Arrays.stream(shares).distinct().count()).isEqualTo(count);
        }
    }

    @Property
    void infeasibleLuckySplitsAreRejectedNotRetried(@ForAll @IntRange(min = 1, max = 100) int count,
            @ForAll @LongRange(min = 1, max = 2_000_000) long total, @ForAll boolean distinct) {
        long min = 1;
        long max = 20_000;
        Assume.that(!Splits.feasible(total, count, min, max, distinct));

        assertThatThrownBy(() -> Splits.lucky(total, count, min, max, distinct, new Random(1)))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
    }

    @Property
    void feasibilityMatchesTheArithmeticBounds(@ForAll @IntRange(min = 1, max = 100) int count,
            @ForAll @LongRange(min = 1, max = 2_000_000) long total) {
        boolean expected = total >= count && total <= 20_000L * count;
        assertThat(Splits.feasible(total, count, 1, 20_000, false)).isEqualTo(expected);
    }

    @Property
    void equalSplitsGiveEveryoneTheSame(@ForAll @IntRange(min = 1, max = 100) int count,
            @ForAll @LongRange(min = 1, max = 20_000) long share) {
        long[] shares = Splits.equal(share * count, count);

        assertThat(shares).hasSize(count).containsOnly(share);
    }
}
