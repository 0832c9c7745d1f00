package hongbao.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static hongbao.testing.Properties.tries;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import hongbao.app.AccountService;
import hongbao.app.Directory;
import hongbao.app.ExpiryJob;
import hongbao.app.PacketService;
import hongbao.app.PaymentService;
import hongbao.domain.Packet;
import hongbao.domain.PaymentNotice;
import hongbao.domain.PaymentStep;
import hongbao.domain.Payments;
import java.util.HashMap;
import java.util.Map;
import hongbao.domain.AuditFacts;
import hongbao.domain.AuditReport;
import hongbao.domain.Limits;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PayMethod;
import hongbao.domain.Rejection;
import hongbao.wiring.Stores;
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
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Random sequences of deposits, sends, opens and expiries, and of third-party packets with client confirmations,
 * provider notifications (failed, duplicated, for wrong amounts), payment timeouts and reconciler passes, against
 * the real engine and real databases, keep every ledger invariant: the audit balances, wallets never hold more than
 * the money deposited or paid in, every packet adds up, claims of unpaid packets are never credited.
 */
class LedgerInvariantProperties {
    private static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4");
    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration PAYMENT_TIMEOUT = Duration.ofMinutes(15);

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

    record SendThirdParty(int user, long total, int count) implements Op {
    }

    record ClientConfirm(int packet) implements Op {
    }

    /** A provider notification: success or failure, possibly for a wrong amount, possibly sent twice. */
    record Notify(int packet, boolean success, boolean wrongAmount, boolean twice) implements Op {
    }

    /** Minutes pass: payment timeouts and reconciler passes come due. */
    record PassMinutes(int minutes) implements Op {
    }

    private static Gen<List<Op>> operations() {
        Gen<Integer> user = integers().between(0, USERS.size() - 1);
        Gen<Integer> packet = integers().between(0, 20);
        Gen<Op> deposit = user.zip(longs().between(1, 50_000), Deposit::new);
        Gen<Op> send = user.zip(Generate.enumValues(PacketKind.class), longs().between(1, 30_000),
                integers().between(1, 6), booleans().all(), Send::new);
        Gen<Op> open = user.zip(packet, Open::new);
        Gen<Op> time = integers().between(1, 30).map(PassTime::new);
        Gen<Op> thirdParty = user.zip(longs().between(1, 30_000), integers().between(1, 6), SendThirdParty::new);
        Gen<Op> confirm = packet.map(ClientConfirm::new);
        Gen<Op> notify = packet.zip(Generate.pick(List.of(true, true, true, false)),
                Generate.pick(List.of(false, false, true)), booleans().all(), Notify::new);
        Gen<Op> minutes = integers().between(1, 20).map(PassMinutes::new);
        Gen<Op> op = Generate.frequency(List.of(Pair.of(3, deposit), Pair.of(4, send), Pair.of(8, open),
                Pair.of(1, time), Pair.of(3, thirdParty), Pair.of(3, confirm), Pair.of(3, notify), Pair.of(2, minutes)));
        return lists().of(op).ofSizeBetween(5, 60);
    }

    @Test
    void everyLedgerInvariantHolds() {
        tries(40).forAll(operations()).checkAssert(ops -> checkInvariants(ops, TestStores.freshStoreSpec(1)));
    }

    /** The same over two SETs: claims of receivers in the other SET go through the outbox and the relay. */
    @Test
    void everyLedgerInvariantHoldsAcrossSets() {
        tries(25).forAll(operations()).checkAssert(ops -> checkInvariants(ops, TestStores.freshStoreSpec(2)));
    }

    private static void checkInvariants(List<Op> ops, String storeSpec) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        try (StoreSets sets = Stores.openSets(storeSpec, TestServer.freshDir(), 8, 31)) {
            EngineMetrics metrics = new EngineMetrics(new SimpleMeterRegistry());
            CreditRelay relay = new CreditRelay(sets, clock, metrics);
            Reconciler reconciler = new Reconciler(sets, clock, Duration.ofSeconds(5), relay::wake);
            PacketEngine engine = new PacketEngine(sets, clock, new EngineConfig(8, 2, 1_000, 100), metrics,
                    new EngineListeners(relay::wake, reconciler::wake));
            // The relay and the reconciler run whenever time passes (below), not on threads of their own: a credit
            // still in an outbox when the test clock jumps an hour would otherwise be reported as waiting an hour.
            Runnable timePasses = () -> {
                reconciler.runAllDue();
                relay.deliverAll();
            };
            try {
                Directory directory = new Directory(sets);
                AccountService accounts = new AccountService(sets, directory, clock, Limits.DEFAULT);
                PacketService packets = new PacketService(sets, engine, directory, clock, Limits.DEFAULT, TTL);
                ExpiryJob expiry = new ExpiryJob(sets, engine, clock);
                PaymentService payments = new PaymentService(sets, engine, clock, PAYMENT_TIMEOUT);
                USERS.forEach(u -> accounts.createUser(u, u));
                accounts.createGroup("g", "g", USERS);
                World world = new World(clock, accounts, packets, payments, expiry, timePasses);
                run(ops, world);
                // Mid-flight credits must already balance: the audit allows for what the outboxes still hold.
                assertThat(accounts.audit().problems()).isEmpty();
                timePasses.run();
                clock.advance(TTL);
                payments.cancelOverdue();
                expiry.runOnce();
                clock.advance(Duration.ofMinutes(1));
                reconciler.runAllDue();
                relay.deliverAll();
                assertInvariants(accounts.audit(), sets, depositsOf(ops) + world.paidIn);
            } finally {
                engine.close();
                reconciler.close();
                relay.close();
            }
        }
    }

    /** What a run acts on, and the money the provider has paid in (each payment counted once). */
    private static final class World {
        final MutableClock clock;
        final AccountService accounts;
        final PacketService packets;
        final PaymentService payments;
        final ExpiryJob expiry;
        /** Background work that would have run by the time the clock moves on. */
        final Runnable timePasses;
        final List<Long> sent = new ArrayList<>();
        final Map<Long, Packet> thirdParty = new HashMap<>();
        long paidIn;

        World(MutableClock clock, AccountService accounts, PacketService packets, PaymentService payments, ExpiryJob expiry,
                Runnable timePasses) {
            this.timePasses = timePasses;
            this.clock = clock;
            this.accounts = accounts;
            this.packets = packets;
            this.payments = payments;
            this.expiry = expiry;
        }

        Optional<Packet> thirdPartyPacket(int index) {
            List<Long> ids = new ArrayList<>(thirdParty.keySet());
            ids.sort(null);
            return ids.isEmpty() ? Optional.empty() : Optional.of(thirdParty.get(ids.get(index % ids.size())));
        }
    }

    private static void run(List<Op> ops, World w) {
        int reference = 0;
        for (Op op : ops) {
            try {
                switch (op) {
                    case Deposit d -> w.accounts.deposit(USERS.get(d.user()), d.amount(), "ref-" + reference++);
                    case Send s -> {
                        boolean personal = s.kind() == PacketKind.PERSONAL;
                        String sender = USERS.get(s.user());
                        String receiver = USERS.get((s.user() + 1) % USERS.size());
                        w.sent.add(w.packets.send(new PacketOrder(s.kind(), sender, personal ? null : "g", personal ? receiver : null,
                                "hi", s.total(), personal ? 1 : s.count(), s.distinct(), PayMethod.BALANCE), Optional.empty()).id());
                    }
                    case SendThirdParty t -> {
                        Packet packet = w.packets.send(new PacketOrder(PacketKind.GROUP_LUCKY, USERS.get(t.user()), "g", null,
                                "paid later", t.total(), t.count(), false, PayMethod.THIRD_PARTY), Optional.empty());
                        w.sent.add(packet.id());
                        w.thirdParty.put(packet.id(), packet);
                    }
                    case Open o -> {
                        if (!w.sent.isEmpty()) {
                            w.packets.open(USERS.get(o.user()), w.sent.get(o.packet() % w.sent.size()));
                        }
                    }
                    case ClientConfirm c -> w.thirdPartyPacket(c.packet())
                            .ifPresent(p -> w.payments.clientConfirm(p.senderId(), p.id()));
                    case Notify n -> w.thirdPartyPacket(n.packet()).ifPresent(p -> {
                        PaymentNotice notice = new PaymentNotice(Payments.paymentId(p.id()),
                                n.wrongAmount() ? p.total() + 1 : p.total(), n.success(), "tx-" + p.id());
                        for (int copy = 0; copy < (n.twice() ? 2 : 1); copy++) {
                            if (w.payments.notify(notice) == PaymentStep.Outcome.PAID) {
                                w.paidIn += p.total();
                            }
                        }
                    });
                    case PassMinutes m -> {
                        w.timePasses.run();
                        w.clock.advance(Duration.ofMinutes(m.minutes()));
                        w.payments.cancelOverdue();
                    }
                    case PassTime t -> {
                        w.timePasses.run();
                        w.clock.advance(Duration.ofHours(t.hours()));
                        w.payments.cancelOverdue();
                        w.expiry.runOnce();
                    }
                }
            } catch (Rejection businessRefusal) {
                // Refusals (insufficient balance, snatched out, wrong amounts, limits...) are part of the game; the
                // invariants below are what must hold regardless.
                assertThat(businessRefusal.code()).isNotNull();
            }
        }
    }

    private static long depositsOf(List<Op> ops) {
        return ops.stream().filter(Deposit.class::isInstance).mapToLong(op -> ((Deposit) op).amount()).sum();
    }

    /** @param moneyIn deposits plus what the provider paid in: no wallet may end up with more than that in total */
    private static void assertInvariants(AuditReport report, StoreSets sets, long moneyIn) {
        assertThat(report.problems()).isEmpty();
        assertThat(report.balanced()).isTrue();
        assertThat(report.external()).isEqualTo(-moneyIn);
        assertThat(report.totalUserBalance() + report.escrow()).isEqualTo(moneyIn);
        // Everything has expired, so nothing may be left in escrow: opened + refunded = total for every packet.
        assertThat(report.escrow()).isZero();
        for (Store store : sets.all()) {
            AuditFacts facts = store.auditFacts();
            for (AuditFacts.PacketFact packet : facts.packets()) {
                if (!packet.funded()) {
                    // Cancelled for want of money: its claims are void, never credited.
                    assertThat(packet.status()).isEqualTo(hongbao.domain.PacketStatus.CANCELLED);
                    assertThat(packet.creditedClaimSum()).isZero();
                    continue;
                }
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
