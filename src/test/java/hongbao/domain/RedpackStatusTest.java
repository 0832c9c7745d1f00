package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** gethbinfo's status of a bill, from the bill and the packet of its latest attempt. */
class RedpackStatusTest {
    private static final Instant SENT_AT = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant EXPIRES = SENT_AT.plus(Duration.ofHours(24));
    private static final RedpackOrder ORDER = new RedpackOrder(HbType.GROUP, "b1", "o1", 300, 3, "s", "w", "a", "r", "");

    private static RedpackBill bill(MerchantError failure) {
        return new RedpackBill("m", ORDER, "h", "u1", 7, "2027-01-01", failure, failure == null ? null : "why", SENT_AT);
    }

    private static Packet packet(PacketStatus status, int opened, long refunded) {
        return new Packet(7, PacketKind.GROUP_LUCKY, "mch.m", "g", null, "w", 300, 3, List.of(100L, 100L, 100L), status,
                PayStatus.SERVER_CONFIRMED, SENT_AT, EXPIRES, null, opened, opened * 100L, refunded);
    }

    @Test
    void withoutItsPacketABillIsSendingUnlessItFailed() {
        assertThat(RedpackStatus.of(bill(null), Optional.empty(), SENT_AT)).isEqualTo(RedpackStatus.SENDING);
        assertThat(RedpackStatus.of(bill(MerchantError.NOTENOUGH), Optional.empty(), SENT_AT)).isEqualTo(RedpackStatus.FAILED);
    }

    @Test
    void withItsPacketTheStatusFollowsThePacket() {
        assertThat(RedpackStatus.of(bill(null), Optional.of(packet(PacketStatus.ACTIVE, 1, 0)), SENT_AT))
                .isEqualTo(RedpackStatus.SENT);
        assertThat(RedpackStatus.of(bill(null), Optional.of(packet(PacketStatus.FINISHED, 3, 0)), SENT_AT))
                .isEqualTo(RedpackStatus.RECEIVED);
        assertThat(RedpackStatus.of(bill(null), Optional.of(packet(PacketStatus.ACTIVE, 1, 0)), EXPIRES))
                .as("expired, refund not yet applied").isEqualTo(RedpackStatus.RFUND_ING);
        assertThat(RedpackStatus.of(bill(null), Optional.of(packet(PacketStatus.EXPIRED, 1, 200)), EXPIRES))
                .isEqualTo(RedpackStatus.REFUND);
    }

    @Test
    void anEarlierFailureDoesNotHideAPacketThatExists() {
        assertThat(RedpackStatus.of(bill(MerchantError.NOTENOUGH), Optional.of(packet(PacketStatus.ACTIVE, 0, 0)), SENT_AT))
                .isEqualTo(RedpackStatus.SENT);
    }
}
