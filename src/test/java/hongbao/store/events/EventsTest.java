package hongbao.store.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketRules;
import hongbao.domain.PayMethod;
import hongbao.domain.SetLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An event's data, written as text without a JSON tree, is JSON any parser reads back to the change's values. */
class EventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private static Packet lucky(String greeting) {
        return PacketRules.create(42, new PacketOrder(PacketKind.GROUP_LUCKY, "sender \"s\"", "g\\1", null, greeting, 300, 2,
                false, PayMethod.BALANCE), new long[] {120, 180}, NOW, Duration.ofHours(24));
    }

    @Test
    void stringsAreEscapedAndAbsentMembersLeftOut() throws Exception {
        JsonNode sent = JSON.readTree(Events.sent(lucky("恭喜\n\"发财\"\u0001")).dataJson());

        assertThat(sent.get("greeting").asText()).isEqualTo("恭喜\n\"发财\"\u0001");
        assertThat(sent.get("senderId").asText()).isEqualTo("sender \"s\"");
        assertThat(sent.get("groupId").asText()).isEqualTo("g\\1");
        assertThat(sent.has("toUserId")).isFalse();
        assertThat(sent.get("packetId").asText()).isEqualTo("42");
        assertThat(sent.get("total").asLong()).isEqualTo(300);
    }

    @Test
    void theLastOpenWritesItsOpenedAndTheFinishedWithTheBestLuck() throws Exception {
        Packet packet = lucky("");
        PacketRules.Opened first = (PacketRules.Opened) PacketRules.open(packet, "a", false, NOW, SetLayout.ONE_SET);
        PacketRules.Opened last = (PacketRules.Opened) PacketRules.open(first.after(), "b", false, NOW.plusSeconds(3),
                SetLayout.ONE_SET);

        JsonNode opened = JSON.readTree(Events.opened(last).dataJson());
        assertThat(opened.get("userId").asText()).isEqualTo("b");
        assertThat(opened.get("amount").asLong()).isEqualTo(180);
        assertThat(opened.get("seq").asInt()).isEqualTo(2);
        assertThat(opened.get("credited").isBoolean()).isTrue();
        assertThat(opened.get("remaining").asLong()).isZero();

        JsonNode finished = JSON.readTree(Events.finished(last.after()).dataJson());
        assertThat(finished.get("finishMillis").asLong()).isEqualTo(3_000);
        assertThat(finished.get("bestLuck").get("seq").asInt()).isEqualTo(2);
        assertThat(finished.get("bestLuck").get("amount").asLong()).isEqualTo(180);
    }

    @Test
    void aPackedEventReadsBackAsItWasWrittenWhateverItsStrings() {
        List<PackedEvent> events = List.of(
                new OpenedEvent(42, "s %~\n\r%25", null, "to ~", "~", -5, 3, true, 3, 10, 0, NOW),
                new OpenedEvent(43, "", "g", null, "user", 120, 1, false, 1, 2, 180, NOW.plusMillis(7)),
                new FinishedEvent(42, "sender", "g%", null, 300, 2, 3_000, 2, 180, NOW),
                new FinishedEvent(44, "sender", null, "bob", 100, 1, 10, 0, 0, NOW));
        StringBuilder text = new StringBuilder();
        PackedText.Writer lines = new PackedText.Writer(text);
        for (PackedEvent event : events) {
            if (!text.isEmpty()) {
                lines.endLine();
            }
            event.pack(lines);
        }

        assertThat(text.toString().split("\n", -1)).hasSize(events.size())
                .extracting(PackedEvent::unpack).containsExactlyElementsOf(events);
    }
}
