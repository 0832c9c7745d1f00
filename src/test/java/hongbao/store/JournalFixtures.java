package hongbao.store;

import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketRules;
import hongbao.domain.PacketStatus;
import hongbao.domain.PayStatus;
import hongbao.domain.SetLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Opens of one small lucky packet, as the engine would journal them. */
final class JournalFixtures {
    static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");

    private JournalFixtures() {
    }

    static Packet packet() {
        return new Packet(7, PacketKind.GROUP_LUCKY, "sender", "g", null, "w", 300, 3, List.of(100L, 120L, 80L),
                PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED, NOW, NOW.plusSeconds(86_400), null, 0, 0, 0);
    }

    static List<PacketRules.Opened> opens(Packet packet, String... users) {
        List<PacketRules.Opened> opens = new ArrayList<>();
        for (String user : users) {
            PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(packet, user, false, NOW, SetLayout.ONE_SET);
            opens.add(opened);
            packet = opened.after();
        }
        return opens;
    }

    static PacketRules.Opened anOpen() {
        return opens(packet(), "alice").getFirst();
    }
}
