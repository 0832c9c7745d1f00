package hongbao.store;

import hongbao.cluster.SetOwnership;
import hongbao.wiring.Stores;

import hongbao.cluster.LeaseKeeper;

import hongbao.cluster.Ownership;
import hongbao.cluster.SetLease;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.sql.SetPlacement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hongbao.domain.SetLayout;
import hongbao.testing.ProxiedPostgres;
import hongbao.testing.TestStores;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster node's leases, on real PostgreSQL databases: each is kept from the moment it is taken, even while the node
 * waits for another SET's live holder, and a node that cannot renew its lease stops serving the SET before another
 * node may take it.
 */
class LeaseKeepingTest {
    private static final SetLayout TWO_SETS = new SetLayout(8, 2);
    private static final Duration SHORT_LEASE = Duration.ofSeconds(1);

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aSetTakenIsKeptWhileTheNodeWaitsForAnotherSetsLiveHolder() throws Exception {
        String first = TestStores.freshPostgresUrl();
        String second = TestStores.freshPostgresUrl();
        // Another node holds the second SET, and is alive: its lease outlasts the test unless released.
        PostgresStore.Member other = PostgresStore.join(second, new SetPlacement(TWO_SETS, 1), 31,
                JdbcStore.WritePath.JOURNAL, new Ownership(Set.of(1), "http://other", Duration.ofMinutes(5), false));
        opened.add(other.store());
        LeaseKeeper keeper = LeaseKeeper.start(SHORT_LEASE, set -> { });
        opened.add(keeper);

        CompletableFuture<StoreSets> node = CompletableFuture.supplyAsync(() -> Stores.openSets(first + "," + second,
                tempDir(), TWO_SETS.shards(), 31, new Ownership(Set.of(0, 1), "http://node", SHORT_LEASE, false),
                keeper::keep));
        PostgresStore.Member firstSet = PostgresStore.join(first, new SetPlacement(TWO_SETS, 0), 31,
                JdbcStore.WritePath.JOURNAL, Ownership.none());
        opened.add(firstSet.store());
        awaitHolder(firstSet, "http://node");

        // Several lifetimes of the lease pass while the node waits for the second SET: it keeps the first.
        Thread.sleep(SHORT_LEASE.multipliedBy(4).toMillis());
        assertThat(node).isNotDone();
        SetLease.Holder holder = firstSet.holder().get().orElseThrow();
        assertThat(holder.node()).isEqualTo("http://node");
        assertThat(holder.live()).as("the first SET's lease, while the node waits for the second: %s", holder).isTrue();

        other.lease().orElseThrow().release();
        StoreSets sets = node.get(30, TimeUnit.SECONDS);
        opened.add(0, sets);
        assertThat(SetOwnership.of(sets).leases()).extracting(SetLease::set).containsExactly(0, 1);
        assertThat(SetOwnership.of(sets).leases()).allMatch(SetLease::held);
    }

    @Test
    void aNodeThatCannotRenewItsLeaseStopsServingTheSetUntilARenewalIsAnsweredEvenAfterAHeal() throws Exception {
        ProxiedPostgres database = ProxiedPostgres.fresh();
        opened.add(database);
        PostgresStore.Member owner = PostgresStore.join(database.url(), new SetPlacement(new SetLayout(8, 1), 0), 31,
                JdbcStore.WritePath.JOURNAL, new Ownership(Set.of(0), "http://owner", SHORT_LEASE, false));
        opened.add(owner.store());
        SetLease lease = owner.lease().orElseThrow();
        assertThat(owner.store().packet(1)).isEmpty();

        database.proxy().blackHole();
        assertThatThrownBy(lease::renew).isInstanceOf(StoreException.class);
        // The renewal went unanswered: once a lease's time from the last answered one is over, another node may
        // have taken the SET.
        long deadline = System.nanoTime() + SHORT_LEASE.multipliedBy(3).toNanos();
        while (lease.held()) {
            assertThat(System.nanoTime()).as("the lease runs out here within its time").isLessThan(deadline);
            Thread.sleep(50);
        }
        database.proxy().heal();

        // The database answers again, but until a renewal is answered this node cannot be sure the SET is still its.
        assertThatThrownBy(() -> owner.store().packet(1)).isInstanceOf(StoreException.class)
                .hasMessageContaining("another node may own the SET");
        assertThat(lease.renew()).isTrue();
        assertThat(owner.store().packet(1)).isEmpty();
    }

    private static void awaitHolder(PostgresStore.Member set, String node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!set.holder().get().map(holder -> holder.node().equals(node)).orElse(false)) {
            assertThat(System.nanoTime()).as("%s takes the SET", node).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static java.nio.file.Path tempDir() {
        try {
            return Files.createTempDirectory("hongbao-lease");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
