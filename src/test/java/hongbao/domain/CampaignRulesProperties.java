package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static hongbao.testing.Properties.tries;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The campaign draw: whatever the amounts drawn, the wins add up to the budget exactly, each within min..max. */
class CampaignRulesProperties {
    private static final int TRIES = 1000;

    /** A campaign's prize range and a budget no larger than {@code wins} prizes of at most max can pay. */
    record Prizes(long min, long max, long budget) {
    }

    private static Gen<Prizes> prizes() {
        return longs().between(1, 500).zip(longs().between(0, 500), integers().between(1, 400),
                longs().between(0, 100_000), (min, spread, wins, extra) -> {
                    long max = min + spread;
                    return new Prizes(min, max, Math.min(wins * min + extra, wins * max));
                });
    }

    @Test
    void drawingUntilEmptyPaysTheBudgetToTheFen() {
        tries(TRIES).forAll(prizes(), longs().all())
                .assuming((prizes, seed) -> CampaignRules.payableExactly(prizes.budget(), prizes.min(), prizes.max()))
                .checkAssert((prizes, seed) -> {
                    long min = prizes.min();
                    long max = prizes.max();
                    Random random = new Random(seed);

                    List<Long> amounts = new ArrayList<>();
                    long remaining = prizes.budget();
                    for (OptionalLong next = CampaignRules.drawAmount(remaining, min, max, random); next.isPresent();
                            next = CampaignRules.drawAmount(remaining, min, max, random)) {
                        amounts.add(next.getAsLong());
                        remaining -= next.getAsLong();
                    }

                    assertThat(remaining).isZero();
                    assertThat(amounts.stream().mapToLong(Long::longValue).sum()).isEqualTo(prizes.budget());
                    assertThat(amounts).allSatisfy(amount -> assertThat(amount).isBetween(min, max));
                });
    }

    @Test
    void payableMeansSomeCountOfWinsInRangeAddsUp() {
        tries(TRIES).forAll(longs().between(0, 3_000), longs().between(1, 60), longs().between(0, 60))
                .checkAssert((amount, min, spread) -> {
                    long max = min + spread;
                    boolean bySearch = amount == 0;
                    for (long wins = 1; wins * min <= amount; wins++) {
                        bySearch |= amount <= wins * max;
                    }

                    assertThat(CampaignRules.payableExactly(amount, min, max)).isEqualTo(bySearch);
                });
    }

    @Test
    void aFixedAmountPaysOnlyMultiplesAndAlwaysThatAmount() {
        tries(TRIES).forAll(longs().between(1, 20_000), integers().between(1, 1000), longs().all())
                .checkAssert((amount, wins, seed) -> {
                    assertThat(CampaignRules.payableExactly(amount * wins, amount, amount)).isTrue();
                    assertThat(CampaignRules.payableExactly(amount * wins + 1, amount, amount)).isEqualTo(amount == 1);
                    assertThat(CampaignRules.drawAmount(amount * wins, amount, amount, new Random(seed))).hasValue(amount);
                });
    }

    @Test
    void winsAreDrawnAtTheirChance() {
        tries(TRIES).forAll(integers().between(1, 1000), longs().all()).checkAssert((permille, seed) -> {
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
        });
    }

    private static Campaign campaign(int permille) {
        Instant start = Instant.parse("2027-01-01T00:00:00Z");
        return new Campaign("m", "c", "c", "w", 10_000, 100, 100, permille, start, start.plusSeconds(60), 0, 0, start);
    }
}
