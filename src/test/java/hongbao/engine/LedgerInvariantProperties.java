package hongbao.engine;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.app.AccountService;
import hongbao.app.Directory;
import hongbao.app.ExpiryJob;
import hongbao.app.PacketService;
import hongbao.domain.AuditFacts;
import hongbao.domain.AuditReport;
import hongbao.domain.Limits;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PayMethod;
import hongbao.domain.Rejection;
import hongbao.store.Stores;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.testing.MutableClock;
import hongbao.testing.TestServer;
import hongbao.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of deposits, sends, opens and expiries against the real engine and a real SQLite file keep
 * every ledger invariant: the audit balances, no money appears or vanishes, every packet adds up.
 */
class LedgerInvariantProperties {
    private static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4");
    private static final Duration TTL = Duration.ofHours(24);

    sealed interface Op {
    }

    record Deposit(int user, long amount) implements Op {
    }

    record Send(int user, PacketKind kind, long total, int count, boolean distinct) implements Op {
    }

    record Open(int user, int packet) implements Op {
    }

    record PassTime(int hours) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> user = Arbitraries.integers().between(0, USERS.size() - 1);
        Arbitrary<Op> deposit = Combinators.combine(user, Arbitraries.longs().between(1, 50_000)).as(Deposit::new);
        Arbitrary<Op> send = Combinators.combine(user, Arbitraries.of(PacketKind.class), Arbitraries.longs().between(1, 30_000),
                Arbitraries.integers().between(1, 6), Arbitraries.of(true, false)).as(Send::new);
        Arbitrary<Op> open = Combinators.combine(user, Arbitraries.integers().between(0, 20)).as(Open::new);
        Arbitrary<Op> time = Arbitraries.integers().between(1, 30).map(PassTime::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, deposit), net.jqwik.api.Tuple.of(4, send), net.jqwik.api.Tuple.of(8, open),
                net.jqwik.api.Tuple.of(1, time)).list().ofMinSize(5).ofMaxSize(60);
    }

    @Property(tries = 40)
    void everyLedgerInvariantHolds(@ForAll("operations") List<Op> ops) {
        checkInvariants(ops, TestStores.freshStoreSpec(1));
    }

    /** The same over two SETs: claims of receivers in the other SET go through the outbox and the relay. */
    @Property(tries = 25)
    void everyLedgerInvariantHoldsAcrossSets(@ForAll("operations") List<Op> ops) {
        checkInvariants(ops, TestStores.freshStoreSpec(2));
    }

    private static void checkInvariants(List<Op> ops, String storeSpec) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        try (StoreSets sets = Stores.openSets(storeSpec, TestServer.freshDir(), 8, 31)) {
            EngineMetrics metrics = new EngineMetrics(new SimpleMeterRegistry());
            CreditRelay relay = new CreditRelay(sets, clock, metrics);
            PacketEngine engine = new PacketEngine(sets, clock, new EngineConfig(8, 2, 1_000, 100), metrics, relay::wake);
            relay.start();
            try {
                Directory directory = new Directory(sets);
                AccountService accounts = new AccountService(sets, directory, clock, Limits.DEFAULT);
                PacketService packets = new PacketService(sets, engine, directory, clock, Limits.DEFAULT, TTL);
                ExpiryJob expiry = new ExpiryJob(sets, engine, clock);
                USERS.forEach(u -> accounts.createUser(u, u));
                accounts.createGroup("g", "g", USERS);
                run(ops, clock, accounts, packets, expiry);
                // Mid-flight credits must already balance: the audit allows for what the outboxes still hold.
                assertThat(accounts.audit().problems()).isEmpty();
                clock.advance(TTL);
                expiry.runOnce();
                relay.deliverAll();
                assertInvariants(accounts.audit(), sets, depositsOf(ops));
            } finally {
                engine.close();
                relay.close();
            }
        }
    }

    private static void run(List<Op> ops, MutableClock clock, AccountService accounts, PacketService packets, ExpiryJob expiry) {
        List<Long> sent = new ArrayList<>();
        int reference = 0;
        for (Op op : ops) {
            try {
                switch (op) {
                    case Deposit d -> accounts.deposit(USERS.get(d.user()), d.amount(), "ref-" + reference++);
                    case Send s -> {
                        boolean personal = s.kind() == PacketKind.PERSONAL;
                        String sender = USERS.get(s.user());
                        String receiver = USERS.get((s.user() + 1) % USERS.size());
                        sent.add(packets.send(new PacketOrder(s.kind(), sender, personal ? null : "g", personal ? receiver : null,
                                "hi", s.total(), personal ? 1 : s.count(), s.distinct(), PayMethod.BALANCE), Optional.empty()).id());
                    }
                    case Open o -> {
                        if (!sent.isEmpty()) {
                            packets.open(USERS.get(o.user()), sent.get(o.packet() % sent.size()));
                        }
                    }
                    case PassTime t -> {
                        clock.advance(Duration.ofHours(t.hours()));
                        expiry.runOnce();
                    }
                }
            } catch (Rejection businessRefusal) {
                // Refusals (insufficient balance, snatched out, limits...) are part of the game; the invariants
                // below are what must hold regardless.
                assertThat(businessRefusal.code()).isNotNull();
            }
        }
    }

    private static long depositsOf(List<Op> ops) {
        return ops.stream().filter(Deposit.class::isInstance).mapToLong(op -> ((Deposit) op).amount()).sum();
    }

    private static void assertInvariants(AuditReport report, StoreSets sets, long deposited) {
        assertThat(report.problems()).isEmpty();
        assertThat(report.balanced()).isTrue();
        assertThat(report.external()).isEqualTo(-deposited);
        assertThat(report.totalUserBalance() + report.escrow()).isEqualTo(deposited);
        // Everything has expired, so nothing may be left in escrow: opened + refunded = total for every packet.
        assertThat(report.escrow()).isZero();
        for (Store store : sets.all()) {
            AuditFacts facts = store.auditFacts();
            for (AuditFacts.PacketFact packet : facts.packets()) {
                assertThat(packet.openedAmount() + packet.refunded()).isEqualTo(packet.total());
                assertThat(packet.creditedClaimSum()).isEqualTo(packet.claimSum());
                assertThat(packet.claimCount()).isLessThanOrEqualTo((int) Math.min(packet.total(), 100));
            }
            for (AuditFacts.AccountFact account : facts.accounts()) {
                if (hongbao.domain.Accounts.isWallet(account.account())) {
                    assertThat(account.balance()).isNotNegative();
                }
            }
            assertThat(store.outbox(1)).isEmpty();
        }
    }
}
