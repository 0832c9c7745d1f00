package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-merchant send rate: a burst of the minute's allowance, then one more each 60/rate seconds. */
class SendRateTest {
    private static final Instant T0 = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void aBurstOfTheMinutesAllowanceThenRefusals() {
        SendRate rate = new SendRate(3, T0);

        assertThat(rate.tryTake(T0)).isTrue();
        assertThat(rate.tryTake(T0)).isTrue();
        assertThat(rate.tryTake(T0)).isTrue();
        assertThat(rate.tryTake(T0)).isFalse();
        assertThat(rate.tryTake(T0.plusMillis(19_999))).isFalse();
    }

    @Test
    void tokensComeBackAtTheRate() {
        SendRate rate = new SendRate(3, T0);
        for (int i = 0; i < 3; i++) {
            rate.tryTake(T0);
        }

        assertThat(rate.tryTake(T0.plusSeconds(20))).as("one token per 20 s at 3/min").isTrue();
        assertThat(rate.tryTake(T0.plusSeconds(20))).isFalse();
        assertThat(rate.tryTake(T0.plusSeconds(3600))).isTrue();
        assertThat(rate.tryTake(T0.plusSeconds(3600))).isTrue();
        assertThat(rate.tryTake(T0.plusSeconds(3600))).isTrue();
        assertThat(rate.tryTake(T0.plusSeconds(3600))).as("never more than a minute's worth saved up").isFalse();
    }

    @Test
    void aClockSteppingBackRefillsNothing() {
        SendRate rate = new SendRate(1, T0);
        assertThat(rate.tryTake(T0)).isTrue();

        assertThat(rate.tryTake(T0.minusSeconds(3600))).isFalse();
        assertThat(rate.tryTake(T0.plusSeconds(59))).isFalse();
        assertThat(rate.tryTake(T0.plusSeconds(60))).isTrue();
    }
}
