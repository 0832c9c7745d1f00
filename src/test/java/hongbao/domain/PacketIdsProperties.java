package hongbao.domain;

import static hongbao.testing.Properties.tries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The routing hint is what a proxy reads from the URL's text; it must agree with the arithmetic. */
class PacketIdsProperties {
    private static final Instant T = Instant.parse("2026-11-28T04:00:00.123Z");

    @Test
    void theHintIsTheLastTwoDigitsOfTheIdAsItAppearsInAUrl() {
        tries(2000).forAll(longs().between(10, Long.MAX_VALUE)).checkAssert(id -> {
            String text = Long.toString(id);

            assertThat(PacketIds.routingHint(PacketIds.parse(text)))
                    .isEqualTo(Integer.parseInt(text.substring(text.length() - 2)));
        });
    }

    @Test
    void anIdHasTheHintOnlyWhenItsLastTwoDigitsNameItsShard() {
        long plain = PacketIds.compose(T, 7, 0);
        long hinted = plain + Math.floorMod(7 - plain, 100);

        assertThat(PacketIds.shardOf(hinted)).isEqualTo(7);
        assertThat(hinted % 100).isEqualTo(7);
        assertThat(PacketIds.hasRoutingHint(hinted)).isTrue();
        assertThat(PacketIds.hasRoutingHint(hinted + 1)).isFalse();
    }
}
