package hongbao.store.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.domain.Claim;
import hongbao.domain.Limits;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketRules;
import hongbao.domain.PacketStatus;
import hongbao.domain.PayStatus;
import hongbao.domain.SetLayout;
import hongbao.domain.Transfer;
import hongbao.store.Store;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.sqlite.SqliteStore;
import hongbao.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opens' events, stored many to a row and rendered when read, say what the opens did: each field checked against
 * the claim and the packet, not against the renderer, read whole and in pages that end inside rows, and trimmed a row
 * at a time. On the suite's store (SQLite, or PostgreSQL with {@code -Dhongbao.test.store=postgresql}).
 */
class PackedEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private static final int SHARES = 160;
    /** Ids as the store takes them, with what the packed text escapes. */
    private static final String SENDER = "send er%~";

    @TempDir
    Path dir;

    private record Expected(EventType type, Instant at, Packet packet, Claim claim) {
    }

    @Test
    void everyOpenAndFinishReadsBackWithItsClaimsValuesWholeAndInPages() throws Exception {
        try (Store store = freshStore()) {
            List<Expected> expected = openEveryShare(store);

            List<Event> whole = store.events().after(0, 10_000);

            assertThat(whole).hasSize(expected.size());
            long first = whole.getFirst().seq();
            for (int i = 0; i < whole.size(); i++) {
                assertThat(whole.get(i).seq()).isEqualTo(first + i);
                assertSays(whole.get(i), expected.get(i));
            }
            for (int limit : new int[] {1, 7, 100, 300}) {
                assertThat(inPages(store, first - 1, limit)).as("read %d at a time", limit).isEqualTo(whole);
            }
            long middle = first + 300;
            assertThat(store.events().after(middle, 5)).isEqualTo(whole.subList(300 + 1, 300 + 6));
            assertThat(store.events().lastSeq()).isEqualTo(whole.getLast().seq());
        }
    }

    @Test
    void trimmingTakesARowOnlyOnceAllItsEventsMayGo() {
        try (Store store = freshStore()) {
            openEveryShare(store);
            List<Event> all = store.events().after(0, 10_000);
            long through = all.get(300).seq();

            int trimmed = store.events().trim(NOW.plus(Duration.ofDays(1)), through);

            long kept = store.events().firstKeptSeq();
            assertThat(trimmed).isPositive();
            assertThat(kept).as("the first event kept").isGreaterThan(all.getFirst().seq()).isLessThanOrEqualTo(through + 1);
            List<Event> rest = store.events().after(kept - 1, 10_000);
            assertThat(rest).isEqualTo(all.subList((int) (kept - all.getFirst().seq()), all.size()));
        }
    }

    private static List<Event> inPages(Store store, long after, int limit) {
        List<Event> read = new ArrayList<>();
        List<Event> page;
        while (!(page = store.events().after(after, limit)).isEmpty()) {
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            assertThat(page.getFirst().seq()).as("the page after %d starts right after it", after).isEqualTo(after + 1);
            read.addAll(page);
            after = page.getLast().seq();
        }
        return read;
    }

    private static void assertSays(Event event, Expected expected) throws Exception {
        Packet packet = expected.packet();
        JsonNode data = JSON.readTree(event.dataJson());
        assertThat(event.type()).isEqualTo(expected.type());
        assertThat(event.at()).isEqualTo(expected.at());
        assertThat(event.packetId()).isEqualTo(packet.id());
        assertThat(data.get("packetId").asText()).isEqualTo(Long.toString(packet.id()));
        assertThat(data.get("senderId").asText()).isEqualTo(SENDER);
        assertThat(data.has("groupId")).isEqualTo(packet.groupId() != null);
        if (packet.groupId() != null) {
            assertThat(data.get("groupId").asText()).isEqualTo(packet.groupId());
        }
        assertThat(data.has("toUserId")).isEqualTo(packet.toUserId() != null);
        if (packet.toUserId() != null) {
            assertThat(data.get("toUserId").asText()).isEqualTo(packet.toUserId());
        }
        assertThat(data.get("count").asInt()).isEqualTo(packet.count());
        if (expected.type() == EventType.PACKET_OPENED) {
            Claim claim = expected.claim();
            assertThat(event.audience()).isEqualTo(new Audience(SENDER, claim.userId(), packet.groupId()));
            assertThat(data.get("userId").asText()).isEqualTo(claim.userId());
            assertThat(data.get("amount").asLong()).isEqualTo(claim.amount());
            assertThat(data.get("seq").asInt()).isEqualTo(claim.seq());
            assertThat(data.get("credited").asBoolean()).isEqualTo(claim.credited());
            assertThat(data.get("openedCount").asInt()).isEqualTo(claim.seq());
            assertThat(data.get("remaining").asLong()).isEqualTo(packet.remaining());
            assertThat(data.size()).as("members").isEqualTo(9 + (packet.groupId() != null ? 1 : 0) + (packet.toUserId() != null ? 1 : 0));
        } else {
            assertThat(event.audience()).isEqualTo(new Audience(SENDER, packet.toUserId(), packet.groupId()));
            assertThat(data.get("total").asLong()).isEqualTo(packet.total());
            assertThat(data.get("finishMillis").asLong()).isEqualTo(Duration.between(NOW, expected.at()).toMillis());
            if (packet.kind() == PacketKind.GROUP_LUCKY) {
                // Shares grow with their seq: the last is the best.
                assertThat(data.get("bestLuck").get("seq").asInt()).isEqualTo(packet.count());
                assertThat(data.get("bestLuck").get("amount").asLong()).isEqualTo(packet.shares().getLast());
            } else {
                assertThat(data.has("bestLuck")).isFalse();
            }
        }
    }

    /**
     * A lucky group packet of {@link #SHARES} shares, each a different amount, an equal one, and a personal packet, all opened in one journal batch and derived in one transaction (more than a row's worth of
     * events); returns the events they should record, in the order the opens were journaled.
     */
    private static List<Expected> openEveryShare(Store store) {
        List<String> users = IntStream.range(0, SHARES).mapToObj(i -> "u" + i + (i % 3 == 0 ? " %~" : "")).toList();
        List<Long> shares = IntStream.range(0, SHARES).mapToObj(i -> 10L + i).toList();
        long total = shares.stream().mapToLong(Long::longValue).sum();
        List<Packet> packets = new ArrayList<>(List.of(
                packet(0, PacketKind.GROUP_LUCKY, "g 1", null, shares),
                packet(1, PacketKind.GROUP_EQUAL, "g~2", null, Collections.nCopies(SHARES, 20L)),
                packet(2, PacketKind.PERSONAL, null, users.get(5), List.of(777L))));
        store.write(tx -> {
            tx.insertUser(SENDER, SENDER, NOW);
            users.forEach(u -> tx.insertUser(u, u, NOW));
            tx.move(Transfer.deposit("funding", SENDER, total + 20L * SHARES + 777, NOW), -Limits.DEFAULT.maxMoneySupply());
            packets.forEach(packet -> assertThat(tx.insertPaidPacket(packet)).isTrue());
            return null;
        });
        List<PacketRules.Opened> opens = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        for (int round = 0; round < SHARES; round++) {
            for (int p = 0; p < packets.size(); p++) {
                if (round >= packets.get(p).count()) {
                    continue;
                }
                String user = p == 2 ? users.get(5) : users.get(round);
                Instant at = NOW.plusMillis(1_000L * round + p);
                PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(packets.get(p), user, false, at,
                        SetLayout.ONE_SET);
                packets.set(p, opened.after());
                opens.add(opened);
                expected.add(new Expected(EventType.PACKET_OPENED, at, opened.after(), opened.claim()));
                if (opened.after().status() == PacketStatus.FINISHED) {
                    expected.add(new Expected(EventType.PACKET_FINISHED, at, opened.after(), null));
                }
            }
        }
        store.journalOpens(opens);
        store.events().catchUp();
        return expected;
    }

    private static Packet packet(int index, PacketKind kind, String groupId, String toUserId, List<Long> shares) {
        long total = shares.stream().mapToLong(Long::longValue).sum();
        return new Packet(PacketIds.compose(NOW, 0, index), kind, SENDER, groupId, toUserId, "w", total, shares.size(),
                shares, PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED, NOW, NOW.plusSeconds(86_400), null, 0, 0, 0);
    }

    private Store freshStore() {
        return TestStores.postgres() ? PostgresStore.open(TestStores.freshPostgresUrl(), 1) : SqliteStore.open(dir, 1);
    }
}
