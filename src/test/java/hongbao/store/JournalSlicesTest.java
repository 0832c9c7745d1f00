package hongbao.store;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.app.JournalDerivation;
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
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.journal.SliceSize;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.sqlite.SqliteStore;
import hongbao.testing.TestStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Derivation in slices: a slice derives the oldest entries in a transaction of its own and leaves the rest pending
 * (the tables a prefix of the journal), and the backlog bound makes an append wait for the derivation thread, or
 * derive one slice where none runs, never a whole pass.
 * On the suite's store (SQLite, or PostgreSQL with {@code -Dhongbao.test.store=postgresql}).
 */
class JournalSlicesTest {
    private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
    private static final int SHARES = 100;

    @TempDir
    Path dir;

    @Test
    void aSliceDerivesTheOldestEntriesAndLeavesTheRestPending() {
        try (Store store = freshStore()) {
            AtomicInteger derived = new AtomicInteger();
            store.watchDerivationLag(lag -> derived.incrementAndGet());
            List<PacketRules.Opened> opens = opensOf(store, 30);
            journalInBatches(store, opens);

            int sliced = store.deriveJournalSlice();

            assertThat(sliced).as("entries one slice derived").isPositive().isLessThan(opens.size());
            assertThat(store.journalBacklog()).isEqualTo(opens.size() - sliced);
            assertThat(derived.get()).as("entries told derived").isEqualTo(sliced);
            // A read catches up on the rest; the tables then hold every acknowledged open, and balance.
            assertThat(LedgerAudit.evaluate(store.auditFacts()).balanced()).isTrue();
            assertThat(store.journalBacklog()).isZero();
            assertThat(derived.get()).isEqualTo(opens.size());
        }
    }

    @Test
    void theBacklogBoundMakesAnAppendDeriveOneSliceNotAWholePass() {
        try (Store store = freshStore()) {
            int packets = JdbcStore.JOURNAL_BACKLOG_MAX / SHARES + 10;
            List<PacketRules.Opened> opens = opensOf(store, packets);
            journalInBatches(store, opens.subList(0, JdbcStore.JOURNAL_BACKLOG_MAX));
            assertThat(store.journalBacklog()).isEqualTo(JdbcStore.JOURNAL_BACKLOG_MAX);

            List<PacketRules.Opened> next = opens.subList(JdbcStore.JOURNAL_BACKLOG_MAX, opens.size());
            store.journalOpens(next);

            assertThat(store.journalBacklog()).as("the backlog after an append at the bound")
                    .isLessThanOrEqualTo(JdbcStore.JOURNAL_BACKLOG_MAX)
                    .isGreaterThanOrEqualTo(JdbcStore.JOURNAL_BACKLOG_MAX + next.size()
                            - Math.max(new SliceSize(SliceSize.MAX_ENTRIES).entries(), next.size()));
            assertThat(LedgerAudit.evaluate(store.auditFacts()).balanced()).isTrue();
        }
    }

    /** Past the bound, an append waits for the derivation thread's slices rather than deriving on its own thread. */
    @Test
    void pastTheBoundAnAppendWaitsForTheDerivationThread() {
        try (Store store = freshStore()) {
            int packets = JdbcStore.JOURNAL_BACKLOG_MAX / SHARES + 10;
            List<PacketRules.Opened> opens = opensOf(store, packets);
            journalInBatches(store, opens.subList(0, JdbcStore.JOURNAL_BACKLOG_MAX));
            Set<String> derivingThreads = ConcurrentHashMap.newKeySet();
            store.watchDerivationLag(lag -> derivingThreads.add(Thread.currentThread().getName()));

            try (JournalDerivation derivation = JournalDerivation.start(StoreSets.single(store, 1),
                    new SimpleMeterRegistry())) {
                store.journalOpens(opens.subList(JdbcStore.JOURNAL_BACKLOG_MAX, opens.size()));
            }

            assertThat(derivingThreads).as("threads that derived").isNotEmpty()
                    .doesNotContain(Thread.currentThread().getName());
            assertThat(LedgerAudit.evaluate(store.auditFacts()).balanced()).isTrue();
        }
    }

    private Store freshStore() {
        return TestStores.postgres() ? PostgresStore.open(TestStores.freshPostgresUrl(), 1) : SqliteStore.open(dir, 1);
    }

    /** Paid packets of {@link #SHARES} shares each, stored, and every share's open in a shuffled order of packets. */
    private static List<PacketRules.Opened> opensOf(Store store, int packets) {
        List<String> users = IntStream.range(0, SHARES).mapToObj(i -> "u" + i).toList();
        List<Packet> stored = new ArrayList<>();
        for (int p = 0; p < packets; p++) {
            List<Long> shares = Collections.nCopies(SHARES, 10L);
            stored.add(new Packet(PacketIds.compose(NOW, 0, p), PacketKind.GROUP_LUCKY, "sender", "g", null, "w",
                    10L * SHARES, SHARES, shares, PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED, NOW,
                    NOW.plusSeconds(86_400), null, 0, 0, 0));
        }
        store.write(tx -> {
            tx.insertUser("sender", "sender", NOW);
            users.forEach(u -> tx.insertUser(u, u, NOW));
            tx.move(Transfer.deposit("funding", "sender", 10L * SHARES * packets, NOW), -Limits.DEFAULT.maxMoneySupply());
            stored.forEach(packet -> assertThat(tx.insertPaidPacket(packet)).isTrue());
            return null;
        });
        List<PacketRules.Opened> opens = new ArrayList<>();
        for (int round = 0; round < SHARES; round++) {
            for (int p = 0; p < packets; p++) {
                PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(stored.get(p), users.get(round), false,
                        NOW, SetLayout.ONE_SET);
                stored.set(p, opened.after());
                opens.add(opened);
            }
        }
        return opens;
    }

    /** As the engine journals them: batches of a thousand. */
    private static void journalInBatches(Store store, List<PacketRules.Opened> opens) {
        for (int from = 0; from < opens.size(); from += 1_000) {
            store.journalOpens(opens.subList(from, Math.min(opens.size(), from + 1_000)));
        }
    }
}
