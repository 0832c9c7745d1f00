package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The campaign draw: whatever the amounts drawn, the wins add up to the budget exactly, each within min..max. */
class CampaignRulesProperties {

    @Property
    void drawingUntilEmptyPaysTheBudgetToTheFen(@ForAll @LongRange(min = 1, max = 500) long min,
            @ForAll @LongRange(min = 0, max = 500) long spread, @ForAll @IntRange(min = 1, max = 400) int wins,
            @ForAll @LongRange(min = 0, max = 100_000) long extra, @ForAll long seed) {
        long max = min + spread;
        long budget = Math.min(wins * min + extra, wins * max);
        Assume.that(CampaignRules.payableExactly(budget, min, max));
        Random random = new Random(seed);

        List<Long> amounts = new ArrayList<>();
        long remaining = budget;
        for (OptionalLong next = CampaignRules.drawAmount(remaining, min, max, random); next.isPresent();
                next = CampaignRules.drawAmount(remaining, min, max, random)) {
            amounts.add(next.getAsLong());
            remaining -= next.getAsLong();
        }

        assertThat(remaining).isZero();
        assertThat(amounts.stream().mapToLong(Long::longValue).sum()).isEqualTo(budget);
        assertThat(amounts).allSatisfy(amount -> assertThat(amount).isBetween(min, max));
    }

    @Property
    void payableMeansSomeCountOfWinsInRangeAddsUp(@ForAll @LongRange(min = 0, max = 3_000) long amount,
            @ForAll @LongRange(min = 1, max = 60) long min, @ForAll @LongRange(min = 0, max = 60) long spread) {
        long max = min + spread;
        boolean bySearch = amount == 0;
        for (long wins = 1; wins * min <= amount; wins++) {
            bySearch |= amount <= wins * max;
        }

        assertThat(CampaignRules.payableExactly(amount, min, max)).isEqualTo(bySearch);
    }

    @Property
    void aFixedAmountPaysOnlyMultiplesAndAlwaysThatAmount(@ForAll @LongRange(min = 1, max = 20_000) long amount,
            @ForAll @IntRange(min = 1, max = 1000) int wins, @ForAll long seed) {
        assertThat(CampaignRules.payableExactly(amount * wins, amount, amount)).isTrue();
        assertThat(CampaignRules.payableExactly(amount * wins + 1, amount, amount)).isEqualTo(amount == 1);
        assertThat(CampaignRules.drawAmount(amount * wins, amount, amount, new Random(seed))).hasValue(amount);
    }

    @Property
    void winsAreDrawnAtTheirChance(@ForAll @IntRange(min = 1, max = 1000) int permille, @ForAll long seed) {
        Campaign campaign = campaign(permille);
        Random random = new Random(seed);
        int draws = 20_000;
        int won = 0;
        for (int i = 0; i < draws; i++) {
            won += CampaignRules.drawsWin(campaign, random) ? 1 : 0;
        }

        double expected = draws * permille / 1000.0;
        // Six standard deviations of a binomial: a correct draw fails this about once in a billion runs.
        double tolerance = 6 * Math.sqrt(draws * (permille / 1000.0) * (1 - permille / 1000.0)) + 1;
        assertThat((double) won).isBetween(expected - tolerance, expected + tolerance);
    }

    private static Campaign campaign(int permille) {
        Instant start = Instant.parse("2027-01-01T00:00:00Z");
        return new Campaign("m", "c", "c", "w", 10_000, 100, 100, permille, start, start.plusSeconds(60), 0, 0, start);
    }
}
