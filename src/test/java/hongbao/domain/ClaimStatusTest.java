package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a claim's money is, what a year's received totals count, and who a wallet line names. */
class ClaimStatusTest {
    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

    private static Packet packet(PacketStatus status, PayStatus payStatus) {
        return new Packet(7, PacketKind.GROUP_EQUAL, "alice", "g", null, "hi", 200, 2, List.of(100L, 100L), status,
                payStatus, AT, AT.plus(Duration.ofHours(24)), null, 1, 100, 0);
    }

    private static Claim claim(boolean credited) {
        return new Claim(7, 1, "bob", 100, AT.plusSeconds(1), credited);
    }

    @Test
    void aClaimIsCreditedPendingOrCancelledWithItsPacket() {
        assertThat(ClaimStatus.of(packet(PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED), claim(true)))
                .isEqualTo(ClaimStatus.CREDITED);
        assertThat(ClaimStatus.of(packet(PacketStatus.ACTIVE, PayStatus.CLIENT_CONFIRMED), claim(false)))
                .isEqualTo(ClaimStatus.PENDING);
        assertThat(ClaimStatus.of(packet(PacketStatus.CANCELLED, PayStatus.CLIENT_CONFIRMED), claim(false)))
                .isEqualTo(ClaimStatus.CANCELLED);
    }

    @Test
    void theYearsTotalsLeaveCancelledClaimsOutAndTellPendingApart() {
        Records.ReceivedTally tally = new Records.ReceivedTally(2026);
        tally.add(Records.received(packet(PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED), List.of(claim(true)), "bob",
                "Alice").orElseThrow());
        tally.add(Records.received(packet(PacketStatus.ACTIVE, PayStatus.CLIENT_CONFIRMED), List.of(claim(false)), "bob",
                "Alice").orElseThrow());
        tally.add(Records.received(packet(PacketStatus.CANCELLED, PayStatus.CLIENT_CONFIRMED), List.of(claim(false)), "bob",
                "Alice").orElseThrow());
        assertThat(tally.summary()).isEqualTo(new Records.ReceivedSummary(2026, 2, 200, 1, 100, 0));
    }

    @Test
    void aGroupPacketHasAtMostOneSharePerMember() {
        PacketOrder five = new PacketOrder(PacketKind.GROUP_LUCKY, "alice", "g", null, null, 500, 5, false, PayMethod.BALANCE);
        assertThatThrownBy(() -> PacketRules.checkCountFitsGroup(five, 3)).isInstanceOf(Rejection.class)
                .hasMessageContaining("3 members").extracting(e -> ((Rejection) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        PacketRules.checkCountFitsGroup(five, 5);
    }

    @Test
    void aLineNamesTheSenderOfWhatCameInAndTheGroupOrReceiverOfWhatWentOut() {
        Packet group = packet(PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED);
        assertThat(Party.of(TransferKind.CLAIM, group)).contains(new Party(Party.Kind.USER, "alice"));
        assertThat(Party.of(TransferKind.SEND, group)).contains(new Party(Party.Kind.GROUP, "g"));
        assertThat(Party.of(TransferKind.REFUND, group)).contains(new Party(Party.Kind.GROUP, "g"));
        assertThat(Party.of(TransferKind.DEPOSIT, group)).isEmpty();
        Packet merchant = new Packet(8, PacketKind.PERSONAL, "mch.1900000109", null, "bob", "hi", 100, 1, List.of(100L),
                PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED, AT, AT.plus(Duration.ofHours(24)), null, 0, 0, 0);
        assertThat(Party.of(TransferKind.CLAIM, merchant)).contains(new Party(Party.Kind.MERCHANT, "mch.1900000109"));
        assertThat(Party.of(TransferKind.SEND, merchant)).contains(new Party(Party.Kind.USER, "bob"));
    }
}
