package hongbao.store;

import hongbao.wiring.Stores;

import hongbao.store.postgres.PostgresStore;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.domain.Limits;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
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
            fundSender(store, NOW);
            sendAndOpen(store, PacketIds.compose(NOW, 1, 0), NOW);
            sendAndOpen(store, PacketIds.compose(inThreeDays, 1, 0), inThreeDays);

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
            fundSender(store, longAgo);
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
            fundSender(store, fifteenDaysAgo);
            sendAndOpen(store, PacketIds.compose(fifteenDaysAgo, 3, 0), fifteenDaysAgo);
            store.maintain(NOW);

            assertThat(partitionsHolding(url, "cold.packets")).containsExactly("cold.packets_d20261110");
        }
    }

    /** A sender "s" with 1,000 fen and a receiver "r". */
    private static void fundSender(Store store, Instant at) {
        store.write(tx -> {
            tx.insertUser("s", "s", at);
            tx.insertUser("r", "r", at);
            tx.move(Transfer.deposit("d", "s", 1_000, at), -Limits.DEFAULT.maxMoneySupply());
            return null;
        });
    }

    /** A personal packet of 100 fen from "s" to "r", created at the given time and opened at once. */
    private static void sendAndOpen(Store store, long id, Instant at) {
        store.write(tx -> {
            Packet packet = PacketRules.create(id,
                    new PacketOrder(PacketKind.PERSONAL, "s", null, "r", "", 100, 1, false, PayMethod.BALANCE),
                    new long[] {100}, at, Duration.ofHours(24));
            assertThat(tx.insertPaidPacket(packet)).isTrue();
            PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(packet, "r", false, at, SetLayout.ONE_SET);
            tx.recordOpen(opened, SetLayout.ONE_SET);
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
