package hongbao.store;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.domain.Accounts;
import hongbao.domain.AuditFacts;
import hongbao.domain.LedgerAudit;
import hongbao.domain.Limits;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketRules;
import hongbao.domain.PacketStatus;
import hongbao.domain.PayStatus;
import hongbao.domain.SetLayout;
import hongbao.domain.Transfer;
import hongbao.domain.TransferKind;
import hongbao.store.ledger.RecordedTransfer;
import hongbao.store.ledger.WalletEntry;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.sqlite.SqliteStore;
import hongbao.testing.TestStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A derived open's credit from escrow to the wallet is carried by its claim row (V14), not a transfers row: the
 * ledger must still read it as a transfer everywhere a transfer is read. The audit balances with it, the wallet's
 * statement lists it in the order the movements were applied with a balance chain that adds up, and its id is a
 * recorded transfer. On the suite's store (SQLite, or PostgreSQL with {@code -Dhongbao.test.store=postgresql}).
 */
class ClaimCarriedCreditsTest {
    private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
    private static final int PACKETS = 3;
    private static final long SHARE = 25;

    @TempDir
    Path dir;

    @Test
    void theLedgerReadsAnOpensCreditFromItsClaimRow() {
        try (Store store = freshStore()) {
            List<Packet> packets = paidPackets(store);
            store.write(tx -> tx.move(Transfer.deposit("bob-first", "bob", 40, NOW), -Limits.DEFAULT.maxMoneySupply()));
            List<PacketRules.Opened> opens = new ArrayList<>();
            for (Packet packet : packets) {
                PacketRules.Opened bobs = (PacketRules.Opened) PacketRules.open(packet, "bob", false, NOW, SetLayout.ONE_SET);
                opens.add(bobs);
                opens.add((PacketRules.Opened) PacketRules.open(bobs.after(), "carol", false, NOW, SetLayout.ONE_SET));
            }
            store.journalOpens(opens);
            // A write after the opens: it derives them first, so its transfer comes after their credits.
            store.write(tx -> tx.move(Transfer.withdrawal("bob-out", "bob", 30, NOW.plusSeconds(1)), 0));

            AuditFacts facts = store.auditFacts();
            assertThat(LedgerAudit.evaluate(facts).problems()).isEmpty();
            // The sender's deposit, the three sends, bob's deposit and withdrawal, and six credits.
            assertThat(facts.transferCount()).isEqualTo(1 + PACKETS + 2 + 2L * PACKETS);

            List<WalletEntry> statement = store.walletEntries("bob", null, 50);
            assertThat(statement).extracting(WalletEntry::kind).containsExactly(TransferKind.WITHDRAWAL,
                    TransferKind.CLAIM, TransferKind.CLAIM, TransferKind.CLAIM, TransferKind.DEPOSIT);
            assertThat(statement.subList(1, 1 + PACKETS)).extracting(WalletEntry::transferId).containsExactlyInAnyOrder(
                    packets.stream().map(p -> Transfer.claimId(p.id(), 1)).toArray(String[]::new));
            assertThat(statement.subList(1, 1 + PACKETS)).allSatisfy(credit -> assertThat(credit.amount()).isEqualTo(SHARE));
            assertThat(statement.getFirst().balanceAfter()).isEqualTo(store.balance(Accounts.wallet("bob")))
                    .isEqualTo(40 + PACKETS * SHARE - 30);
            for (int i = 0; i + 1 < statement.size(); i++) {
                assertThat(statement.get(i).balanceAfter() - statement.get(i).amount()).as("the balance before line " + i)
                        .isEqualTo(statement.get(i + 1).balanceAfter());
                assertThat(statement.get(i).seq()).isGreaterThan(statement.get(i + 1).seq());
            }
            // Paged by the cursor: the page after the withdrawal starts with the newest credit.
            assertThat(store.walletEntries("bob", statement.getFirst().seq(), 2)).containsExactlyElementsOf(statement.subList(1, 3));

            String firstCredit = Transfer.claimId(packets.getFirst().id(), 1);
            Optional<RecordedTransfer> recorded = store.write(tx -> tx.recordedTransfer(firstCredit));
            assertThat(recorded).contains(new RecordedTransfer(Accounts.escrow(packets.getFirst().shard()),
                    Accounts.wallet("bob"), SHARE));
            assertThat(store.transferTime(firstCredit)).contains(NOW);
        }
    }

    private Store freshStore() {
        return TestStores.postgres() ? PostgresStore.open(TestStores.freshPostgresUrl(), 2) : SqliteStore.open(dir, 2);
    }

    private static List<Packet> paidPackets(Store store) {
        List<Packet> packets = new ArrayList<>();
        for (int p = 0; p < PACKETS; p++) {
            packets.add(new Packet(PacketIds.compose(NOW, p % 2, p), PacketKind.GROUP_LUCKY, "sender", "g", null, "w",
                    2 * SHARE, 2, List.of(SHARE, SHARE), PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED, NOW,
                    NOW.plusSeconds(86_400), null, 0, 0, 0));
        }
        store.write(tx -> {
            for (String user : List.of("sender", "bob", "carol")) {
                tx.insertUser(user, user, NOW);
            }
            tx.move(Transfer.deposit("funding", "sender", 2 * SHARE * PACKETS, NOW), -Limits.DEFAULT.maxMoneySupply());
            packets.forEach(packet -> assertThat(tx.insertPaidPacket(packet)).isTrue());
            return null;
        });
        return packets;
    }
}
