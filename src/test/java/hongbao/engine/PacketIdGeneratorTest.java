package hongbao.engine;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.domain.PacketIds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Ids after a restart come after every stored one, whatever the clock says (found by the simulation). */
class PacketIdGeneratorTest {
    private static final Instant T = Instant.parse("2026-11-28T04:00:00.123Z");

    @Test
    void aRestartInTheSameMillisecondRepeatsNoStoredId() {
        long stored = PacketIds.compose(T, 7, 0);
        PacketIdGenerator restarted = new PacketIdGenerator(Clock.fixed(T, ZoneOffset.UTC), stored);

        long first = restarted.next(7);

        assertThat(first).isGreaterThan(stored);
        assertThat(PacketIds.createdAtOf(first)).isAfter(PacketIds.createdAtOf(stored));
        assertThat(restarted.next(7)).isGreaterThan(first);
    }

    @Test
    void aClockBehindTheNewestStoredIdStillGivesLaterIds() {
        long stored = PacketIds.compose(T, 3, 41);
        PacketIdGenerator restarted = new PacketIdGenerator(Clock.fixed(T.minusSeconds(5), ZoneOffset.UTC), stored);

        assertThat(restarted.next(3)).isGreaterThan(stored);
    }

    @Test
    void anEmptyStoreFollowsTheClock() {
        PacketIdGenerator fresh = new PacketIdGenerator(Clock.fixed(T, ZoneOffset.UTC), 0);

        assertThat(PacketIds.createdAtOf(fresh.next(0))).isEqualTo(T);
    }
}
