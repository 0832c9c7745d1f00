package hongbao.store;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.domain.Limits;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketRules;
import hongbao.domain.PayMethod;
import hongbao.domain.Transfer;
import hongbao.testing.TestServer;
import hongbao.testing.TestStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On PostgreSQL, packets and their claims land in the partition of their creation day, created ahead of time. */
class PostgresDayPartitionsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void packetsAndClaimsLandInTheirDaysPartition() throws SQLException {
        String url = TestStores.freshPostgresUrl();
        try (Store store = Stores.open(url, TestServer.freshDir(), 4)) {
            store.maintain(NOW);
            store.maintain(NOW);
            Instant inThreeDays = NOW.plus(Duration.ofDays(3));
            store.write(tx -> {
                tx.insertUser("s", "s", NOW);
                tx.insertUser("r", "r", NOW);
                tx.move(Transfer.deposit("d", "s", 1_000, NOW), -Limits.DEFAULT.maxMoneySupply());
                for (Instant at : List.of(NOW, inThreeDays)) {
                    Packet packet = PacketRules.create(PacketIds.compose(at, 1, 0),
                            new PacketOrder(PacketKind.PERSONAL, "s", null, "r", "", 100, 1, false, PayMethod.BALANCE),
                            new long[] {100}, at, Duration.ofHours(24));
                    tx.move(Transfer.send(packet), 0);
                    tx.insertPacket(packet);
                    tx.insertClaim(((PacketRules.Opened) PacketRules.open(packet, "r", false, at)).claim());
                }
                return null;
            });

            assertThat(partitionsHolding(url, "packets")).containsExactly("packets_d20261125", "packets_d20261128");
            assertThat(partitionsHolding(url, "claims")).containsExactly("claims_d20261125", "claims_d20261128");
            assertThat(store.packet(PacketIds.compose(inThreeDays, 1, 0))).isPresent();
        }
    }

    @Test
    void partitionsPastTheRetentionWindowMoveToColdAndStayReadable() throws SQLException {
        String url = TestStores.freshPostgresUrl();
        Instant longAgo = NOW.minus(Duration.ofDays(40));
        long oldId = PacketIds.compose(longAgo, 2, 0);
        long newId = PacketIds.compose(NOW, 2, 0);
        try (Store store = Stores.open(url, TestServer.freshDir(), 4)) {
            store.maintain(longAgo);
            store.write(tx -> {
                tx.insertUser("s", "s", longAgo);
                tx.insertUser("r", "r", longAgo);
                tx.move(Transfer.deposit("d", "s", 1_000, longAgo), -Limits.DEFAULT.maxMoneySupply());
                return null;
            });
            sendAndOpen(store, oldId, longAgo);
            store.maintain(NOW);
            sendAndOpen(store, newId, NOW);
            store.maintain(NOW);

            assertThat(partitionsHolding(url, "cold.packets")).containsExactly("cold.packets_d20261016");
            assertThat(partitionsHolding(url, "cold.claims")).containsExactly("cold.claims_d20261016");
            assertThat(partitionsHolding(url, "public.packets")).containsExactly("packets_d20261125");
            assertThat(store.packet(oldId)).hasValueSatisfying(old -> assertThat(old.claims()).hasSize(1));
            assertThat(store.packet(newId)).isPresent();
            assertThat(hongbao.domain.LedgerAudit.evaluate(store.auditFacts()).problems()).isEmpty();
            assertThat(store.auditFacts().packets()).hasSize(2);
        }
    }

    @Test
    void theRetentionWindowIsConfigurable() throws SQLException {
        String url = TestStores.freshPostgresUrl();
        Instant fifteenDaysAgo = NOW.minus(Duration.ofDays(15));
        try (Store store = Stores.open(url, TestServer.freshDir(), 4, 10)) {
            store.maintain(fifteenDaysAgo);
            store.write(tx -> {
                tx.insertUser("s", "s", fifteenDaysAgo);
                tx.insertUser("r", "r", fifteenDaysAgo);
                tx.move(Transfer.deposit("d", "s", 1_000, fifteenDaysAgo), -Limits.DEFAULT.maxMoneySupply());
                return null;
            });
            sendAndOpen(store, PacketIds.compose(fifteenDaysAgo, 3, 0), fifteenDaysAgo);
            store.maintain(NOW);

            assertThat(partitionsHolding(url, "cold.packets")).containsExactly("cold.packets_d20261110");
        }
    }

    private static void sendAndOpen(Store store, long id, Instant at) {
        store.write(tx -> {
            Packet packet = PacketRules.create(id,
                    new PacketOrder(PacketKind.PERSONAL, "s", null, "r", "", 100, 1, false, PayMethod.BALANCE),
                    new long[] {100}, at, Duration.ofHours(24));
            tx.move(Transfer.send(packet), 0);
            tx.insertPacket(packet);
            PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(packet, "r", false, at);
            tx.insertClaim(opened.claim());
            tx.move(Transfer.claim(opened.after(), opened.claim()), 0);
            tx.updatePacketProgress(opened.after());
            return null;
        });
    }

    private static List<String> partitionsHolding(String url, String table) throws SQLException {
        List<String> partitions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(PostgresStore.jdbcUrl(url), "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT DISTINCT tableoid::regclass::text FROM " + table + " ORDER BY 1")) {
            while (rs.next()) {
                partitions.add(rs.getString(1));
            }
        }
        return partitions;
    }
}
