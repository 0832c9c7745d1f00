package hongbao.store;

import hongbao.cluster.Ownership;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.sql.SetPlacement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hongbao.domain.Accounts;
import hongbao.domain.SetLayout;
import hongbao.domain.Transfer;
import hongbao.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two "nodes" (two stores opened on one PostgreSQL SET, as two processes would) and the SET's lease: a takeover fences
 * the old owner's writes, waits for its transaction in flight, and a standby takes an expired lease by itself.
 */
class SetLeaseTest {
    private static final SetPlacement SET_ZERO = new SetPlacement(new SetLayout(8, 1), 0);
    private static final Duration SHORT_LEASE = Duration.ofSeconds(1);

    private String url;
    private final List<PostgresStore.Member> opened = new ArrayList<>();

    @BeforeEach
    void database() {
        url = TestStores.freshPostgresUrl();
    }

    @AfterEach
    void close() {
        opened.forEach(member -> member.store().close());
    }

    private PostgresStore.Member node(String name, boolean takeOver, Duration lease) {
        PostgresStore.Member member = PostgresStore.join(url, SET_ZERO, 31, JdbcStore.WritePath.JOURNAL,
                new Ownership(Set.of(0), "http://" + name, lease, takeOver));
        opened.add(member);
        if (opened.size() == 1) {
            member.store().writeShared(tx -> tx.insertUser("u1", "U1", Instant.now()));
        }
        return member;
    }

    private static void deposit(Store store, String reference) {
        store.write(tx -> tx.move(Transfer.deposit(reference, "u1", 100, Instant.now()), Long.MIN_VALUE));
    }

    @Test
    void aTakeoverFencesTheOldOwnersWritesAndJournal() {
        PostgresStore.Member old = node("old", false, Ownership.DEFAULT_LEASE);
        deposit(old.store(), "before");
        PostgresStore.Member successor = node("new", true, Ownership.DEFAULT_LEASE);

        assertThat(successor.lease().orElseThrow().epoch()).isGreaterThan(old.lease().orElseThrow().epoch());
        assertThatThrownBy(() -> deposit(old.store(), "after")).isInstanceOf(Fenced.class);
        assertThatThrownBy(() -> old.store().journalOpens(List.of(JournalFixtures.anOpen()))).isInstanceOf(Fenced.class);
        assertThat(old.lease().orElseThrow().renew()).as("the old owner's renewal finds the SET taken").isFalse();
        deposit(successor.store(), "after");
        assertThat(successor.store().balance(Accounts.wallet("u1"))).isEqualTo(200);
        assertThat(successor.holder().get().orElseThrow().node()).isEqualTo("http://new");
    }

    @Test
    void aTakeoverWaitsForTheOldOwnersTransactionInFlight() throws Exception {
        PostgresStore.Member old = node("old", false, Ownership.DEFAULT_LEASE);
        HeldWrite slowWrite = HeldWrite.begin(old, "slow");
        CompletableFuture<PostgresStore.Member> takeover = CompletableFuture.supplyAsync(() -> node("new", true,
                Ownership.DEFAULT_LEASE));

        assertThat(takeover).as("the takeover waits while the old owner's transaction holds the lease row")
                .failsWithin(Duration.ofMillis(500)).withThrowableThat().isInstanceOf(java.util.concurrent.TimeoutException.class);
        slowWrite.commit();
        PostgresStore.Member successor = takeover.get(30, TimeUnit.SECONDS);

        assertThat(successor.store().balance(Accounts.wallet("u1"))).as("the write that began before the takeover")
                .isEqualTo(100);
        assertThatThrownBy(() -> deposit(old.store(), "after")).isInstanceOf(Fenced.class);
    }

    @Test
    void anOwnersLongTransactionDoesNotHoldUpItsOwnRenewal() throws Exception {
        PostgresStore.Member owner = node("owner", false, Ownership.DEFAULT_LEASE);
        HeldWrite longWrite = HeldWrite.begin(owner, "long");
        try {
            // A thread of its own: the common pool may have only one, which the long write holds.
            CompletableFuture<Boolean> renewal = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> renewal.complete(owner.lease().orElseThrow().renew()));
            assertThat(renewal.get(10, TimeUnit.SECONDS)).as("renewed while the owner's transaction holds the lease row")
                    .isTrue();
        } finally {
            longWrite.commit();
        }
        assertThat(owner.store().balance(Accounts.wallet("u1"))).isEqualTo(100);
    }

    @Test
    void aStandbyTakesTheSetOnceTheOwnersLeaseExpires() throws Exception {
        PostgresStore.Member owner = node("owner", false, SHORT_LEASE);
        CompletableFuture<PostgresStore.Member> standby = CompletableFuture.supplyAsync(() -> node("standby", false, SHORT_LEASE));

        assertThat(owner.lease().orElseThrow().renew()).isTrue();
        // The owner stops renewing, as a dead node does: the standby takes the SET within a lease or two.
        PostgresStore.Member taken = standby.get(30, TimeUnit.SECONDS);

        assertThat(taken.holder().get().orElseThrow().node()).isEqualTo("http://standby");
        // Its lease ran out unrenewed, so the owner refuses by itself, before the fence would.
        assertThatThrownBy(() -> deposit(owner.store(), "late")).isInstanceOf(StoreException.class)
                .hasMessageContaining("another node may own the SET");
    }

    @Test
    void aVisitorReadsAndWritesSharedRowsButNotTheOwnersWork() {
        PostgresStore.Member owner = node("owner", false, Ownership.DEFAULT_LEASE);
        PostgresStore.Member visitor = PostgresStore.join(url, SET_ZERO, 31, JdbcStore.WritePath.JOURNAL, Ownership.none());
        opened.add(visitor);

        assertThat(visitor.lease()).isEmpty();
        assertThatThrownBy(() -> deposit(visitor.store(), "visitor")).isInstanceOf(NotOwnedHere.class);
        assertThatThrownBy(() -> visitor.store().journalOpens(List.of(JournalFixtures.anOpen()))).isInstanceOf(NotOwnedHere.class);
        visitor.store().writeShared(tx -> tx.move(Transfer.deposit("shared", "u1", 100, Instant.now()), Long.MIN_VALUE));
        deposit(owner.store(), "owner");
        assertThat(owner.store().balance(Accounts.wallet("u1"))).isEqualTo(200);
        assertThat(visitor.store().balance(Accounts.wallet("u1"))).isEqualTo(200);
    }

    /** A deposit of 100 fen to u1 whose transaction stays open, holding its locks, until {@link #commit}. */
    private record HeldWrite(CompletableFuture<Void> write, CountDownLatch letGo) {
        static HeldWrite begin(PostgresStore.Member node, String reference) throws InterruptedException {
            CountDownLatch inTransaction = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> node.store().write(tx -> {
                tx.move(Transfer.deposit(reference, "u1", 100, Instant.now()), Long.MIN_VALUE);
                inTransaction.countDown();
                await(letGo);
                return null;
            }));
            assertThat(inTransaction.await(30, TimeUnit.SECONDS)).isTrue();
            return new HeldWrite(write, letGo);
        }

        void commit() throws Exception {
            letGo.countDown();
            write.get(30, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
