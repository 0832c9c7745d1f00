package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines of 红包记录 and the parameters that choose them; best luck as the result page computes it. */
class RecordsTest {
    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

    private static Packet lucky(PacketStatus status) {
        return new Packet(7, PacketKind.GROUP_LUCKY, "alice", "g", null, "hi", 300, 3, List.of(100L, 150L, 50L), status,
                PayStatus.SERVER_CONFIRMED, AT, AT.plus(Duration.ofHours(24)), null, 3, 300, 0);
    }

    private static List<Claim> claims(long first, long second, long third) {
        return List.of(new Claim(7, 1, "bob", first, AT.plusSeconds(1), true),
                new Claim(7, 2, "carol", second, AT.plusSeconds(2), true),
                new Claim(7, 3, "dave", third, AT.plusSeconds(3), true));
    }

    @Test
    void aLinesBestLuckIsTheResultPagesBestLuck() {
        Packet packet = lucky(PacketStatus.FINISHED);
        List<Claim> claims = claims(100, 150, 50);
        assertThat(Records.received(packet, claims, "carol", "Alice").orElseThrow().best()).isTrue();
        assertThat(Records.received(packet, claims, "bob", "Alice").orElseThrow().best()).isFalse();
        List<PacketView.ClaimView> page = PacketViews.render(packet, claims, "bob", "Alice").claims();
        for (Claim claim : claims) {
            boolean onResultPage = page.stream().filter(c -> c.userId().equals(claim.userId())).findFirst().orElseThrow().best();
            assertThat(Records.received(packet, claims, claim.userId(), "Alice").orElseThrow().best()).as(claim.userId())
                    .isEqualTo(onResultPage);
        }
    }

    private static boolean best(Packet packet, List<Claim> claims, String userId) {
        return Records.received(packet, claims, userId, "Alice").orElseThrow().best();
    }

    @Test
    void tiesGoToTheEarliestAndNothingIsBestBeforeTheEnd() {
        List<Claim> tie = claims(150, 150, 0);
        assertThat(best(lucky(PacketStatus.FINISHED), tie, "bob")).isTrue();
        assertThat(best(lucky(PacketStatus.FINISHED), tie, "carol")).isFalse();
        assertThat(best(lucky(PacketStatus.ACTIVE), tie, "bob")).isFalse();
        assertThat(best(lucky(PacketStatus.EXPIRED), tie, "bob")).isFalse();
        assertThat(Records.received(lucky(PacketStatus.FINISHED), tie, "erin", "Alice")).isEmpty();
    }

    @Test
    void onlyPaidPacketsAreSentRecords() {
        assertThat(Records.SENT_STATUSES).containsExactlyInAnyOrder(PacketStatus.ACTIVE, PacketStatus.FINISHED,
                PacketStatus.EXPIRED);
    }

    @Test
    void aYearIsFourDigitsInTheIdsRangeAndItsUtcBoundsCoverIt() {
        assertThat(Records.parseYear("2026")).isEqualTo(2026);
        assertThat(Records.parseYear(Integer.toString(Records.LAST_YEAR))).isEqualTo(Records.LAST_YEAR);
        for (String bad : new String[] {null, "", "abc", "2025", "20266", "+2026", String.valueOf(Records.LAST_YEAR + 1)}) {
            assertThatThrownBy(() -> Records.parseYear(bad)).as(bad).isInstanceOf(Rejection.class);
        }
        assertThat(Records.yearStart(2027)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        // The last year's end is still a packet id, so a sent year is always an id range.
        assertThat(PacketIds.firstIdAt(Records.yearStart(Records.LAST_YEAR + 1))).isPositive();
    }

    @Test
    void aReceivedCursorRoundTripsAndAnythingElseIsRefused() {
        Records.ReceivedCursor cursor = new Records.ReceivedCursor(1_780_000_000_123L, 123_456_789_012L);
        assertThat(Records.ReceivedCursor.parse(cursor.toString())).isEqualTo(cursor);
        for (String bad : new String[] {"123", "1_", "_1", "1_2_3", "a_1", "1_99999999999999999999", "-1_2"}) {
            assertThatThrownBy(() -> Records.ReceivedCursor.parse(bad)).as(bad).isInstanceOf(Rejection.class);
        }
        assertThat(Records.parseRole("sent")).isEqualTo(Records.Role.SENT);
        assertThatThrownBy(() -> Records.parseRole("SENT")).isInstanceOf(Rejection.class);
    }
}
