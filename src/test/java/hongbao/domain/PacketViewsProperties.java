package hongbao.domain;

import static hongbao.testing.Properties.tries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Who sees a packet (docs/API.md, leaving a group): its sender always, as WeChat keeps what you sent, even after they
 * left its group; whoever opened it; otherwise a personal packet's receiver and a group packet's current members only.
 */
class PacketViewsProperties {
    private static final Instant T = Instant.parse("2026-12-07T04:00:00Z");
    private static final List<String> USERS = List.of("alice", "bob", "carol");

    private static final Gen<PacketKind> KINDS = integers().between(0, PacketKind.values().length - 1)
            .map(i -> PacketKind.values()[i]);
    private static final Gen<String> USER = integers().between(0, USERS.size() - 1).map(USERS::get);

    private static Packet packet(PacketKind kind, String senderId, String receiverId) {
        boolean personal = kind == PacketKind.PERSONAL;
        PacketOrder order = new PacketOrder(kind, senderId, personal ? null : "family", personal ? receiverId : null,
                "恭喜发财", 300, personal ? 1 : 3, false, PayMethod.BALANCE);
        return PacketRules.create(1, order, personal ? new long[] {300} : new long[] {100, 100, 100}, T,
                Duration.ofHours(24));
    }

    @Test
    void theSenderSeesTheirPacketWhetherOrNotTheyAreStillAMember() {
        tries(500).forAll(KINDS, USER, booleans().all(), booleans().all())
                .checkAssert((kind, sender, isMember, hasClaimed) ->
                        assertThat(PacketViews.mayView(packet(kind, sender, "dave"), sender, isMember, hasClaimed))
                                .isTrue());
    }

    @Test
    void whoNeitherSentNorOpenedAGroupPacketSeesItExactlyWhileAMember() {
        tries(500).forAll(KINDS, USER, USER, booleans().all())
                .assuming((kind, sender, viewer, isMember) -> kind != PacketKind.PERSONAL && !viewer.equals(sender))
                .checkAssert((kind, sender, viewer, isMember) ->
                        assertThat(PacketViews.mayView(packet(kind, sender, null), viewer, isMember, false))
                                .isEqualTo(isMember));
    }

    @Test
    void whoOpenedAPacketKeepsSeeingIt() {
        tries(500).forAll(KINDS, USER, USER, USER)
                .checkAssert((kind, sender, receiver, opener) ->
                        assertThat(PacketViews.mayView(packet(kind, sender, receiver), opener, false, true)).isTrue());
    }
}
