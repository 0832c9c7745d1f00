package hongbao.bench;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.domain.Packet;
import hongbao.store.packets.StoredPacket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ceiling appends the journal rows of the winning opens, and only there: the store under test stays as it was. */
class CeilingTest {
    private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");

    @Test
    void oneRowPerWinningOpenInOpOrderAsTheEngineWouldAppendThem() throws Exception {
        Scenario scenario = Scenario.storm(20, 1.5, 10, 3);
        try (BenchDatabase database = BenchDatabase.sqlite(4, hongbao.store.jdbc.JdbcStore.WritePath.JOURNAL)) {
            Fixture fixture = new Fixture(database.store, scenario, NOW, 4, 1);
            List<Ceiling.JournalRow> rows = Ceiling.rows(database, fixture, NOW);

            assertThat(rows).hasSize(scenario.totalShares());
            assertThat(rows).extracting(Ceiling.JournalRow::op)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, rows.size()).boxed().toList());
            Map<Long, Packet> packets = new HashMap<>();
            database.store.livePackets().forEach(s -> packets.put(s.packet().id(), s.packet()));
            Map<Long, Long> opened = new HashMap<>();
            Map<Long, Integer> seqs = new HashMap<>();
            for (Ceiling.JournalRow row : rows) {
                Packet packet = packets.get(row.packetId());
                int seq = seqs.merge(row.packetId(), 1, Integer::sum);
                assertThat(row.seq()).isEqualTo(seq);
                assertThat(row.amount()).isEqualTo(packet.shares().get(seq - 1));
                assertThat(row.openedAmount()).isEqualTo(opened.merge(row.packetId(), row.amount(), Long::sum));
                assertThat(row.finished()).isEqualTo(seq == packet.count());
                assertThat(row.crediting()).as("paid, one SET: credited at once (the journal's code 1)").isEqualTo(1);
                assertThat(row.atMs()).isEqualTo(NOW.toEpochMilli());
            }
            assertThat(seqs).allSatisfy((id, seq) -> assertThat(seq).isEqualTo(packets.get(id).count()));
        }
    }

    @Test
    void appendsEveryRowBesideTheStoreNeverInIt() throws Exception {
        Scenario scenario = Scenario.storm(20, 1.5, 10, 3);
        try (BenchDatabase database = BenchDatabase.sqlite(4, hongbao.store.jdbc.JdbcStore.WritePath.JOURNAL)) {
            Fixture fixture = new Fixture(database.store, scenario, NOW, 4, 1);
            OpenRunner.Counts counts = Ceiling.run(database, fixture, Clock.fixed(NOW, ZoneOffset.UTC), 100);

            assertThat(counts.acks()).isEqualTo(scenario.totalShares());
            assertThat(counts.latencies().percentileMicros(0.99)).isPositive();
            assertThat(database.store.livePackets()).extracting(StoredPacket::claims).allSatisfy(c -> assertThat(c).isEmpty());
        }
    }
}
