package hongbao.engine;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.domain.ErrorCode;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketRules;
import hongbao.domain.PayMethod;
import hongbao.domain.SetLayout;
import hongbao.store.packets.StoredPacket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A packet in memory: admission promises no more shares than the packet has left, after a failed commit too. */
class LivePacketTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void aCommitWhoseAnswerWasLostButTookEffectStillCountsAsPromised() {
        Packet packet = PacketRules.create(1, new PacketOrder(PacketKind.GROUP_EQUAL, "s", "g", null, "", 200, 2, false,
                PayMethod.BALANCE), new long[] {100, 100}, NOW, Duration.ofHours(24));
        LivePacket live = new LivePacket(new StoredPacket(packet, List.of()));
        assertThat(live.admit("a", NOW)).isTrue();
        PacketRules.Opened opened = (PacketRules.Opened) live.applyOpen("a", NOW, SetLayout.ONE_SET);

        // The batch's COMMIT took effect and its answer was lost: the worker reloads the packet as the database has it,
        // then answers the open OUTCOME_UNKNOWN (ShardWorker.recover).
        live.reload(new StoredPacket(opened.after(), List.of(opened.claim())));
        live.settle("a", true, false);

        assertThat(live.grab("a", NOW)).contains(ErrorCode.ALREADY_CLAIMED);
        assertThat(live.admit("b", NOW)).as("the one share left").isTrue();
        assertThat(live.grab("c", NOW)).as("a's stored share and b's reserved one: none left").contains(ErrorCode.SNATCHED_OUT);
    }

    @Test
    void aCommitThatFailedFreesItsReservation() {
        Packet packet = PacketRules.create(2, new PacketOrder(PacketKind.GROUP_EQUAL, "s", "g", null, "", 100, 1, false,
                PayMethod.BALANCE), new long[] {100}, NOW, Duration.ofHours(24));
        LivePacket live = new LivePacket(new StoredPacket(packet, List.of()));
        assertThat(live.admit("a", NOW)).isTrue();
        live.applyOpen("a", NOW, SetLayout.ONE_SET);

        live.reload(new StoredPacket(packet, List.of()));
        live.settle("a", true, false);

        assertThat(live.grab("b", NOW)).as("the share nobody took").isEmpty();
    }
}
