package hongbao.sim;

import hongbao.app.SetsAudit;
import hongbao.domain.Accounts;
import hongbao.domain.AuditFacts;
import hongbao.domain.Claim;
import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetAudit;
import hongbao.domain.LedgerAudit;
import hongbao.domain.Packet;
import hongbao.domain.PacketStatus;
import hongbao.domain.PayStatus;
import hongbao.domain.PaymentStep;
import hongbao.domain.TransferKind;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import hongbao.store.ledger.WalletEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the service has answered so far, and the checks that what is durable agrees with every answer and with the
 * ledger's invariants. An answer lost to a failure or a crash is "uncertain": either outcome is allowed, but only one.
 */
final class SimModel {
    /** Long enough that a credit the simulation has not yet let the relay deliver is not reported as late. */
    private static final Duration NO_WINDOW = Duration.ofDays(36_500);

    record Deposit(String userId, long amount) {
    }

    private record Open(long packetId, String userId) {
    }

    private final Set<String> users = new java.util.TreeSet<>();
    final Map<String, Deposit> ackedDeposits = new TreeMap<>();
    final Map<String, Deposit> uncertainDeposits = new TreeMap<>();
    final Map<String, Deposit> ackedWithdrawals = new TreeMap<>();
    final Map<String, Deposit> uncertainWithdrawals = new TreeMap<>();
    final Map<Long, Packet> ackedSends = new TreeMap<>();
    private final Map<Open, Long> ackedOpens = new HashMap<>();
    private final Map<Long, PaymentStep.Outcome> paymentVerdicts = new TreeMap<>();
    private final Map<Long, Long> paidIn = new TreeMap<>();
    private final Map<Long, Long> maybePaidIn = new TreeMap<>();
    /** Packets paid from the sender's wallet whose send was acknowledged, or may have happened: money out for sure. */
    private final Map<Long, Deposit> walletSends = new TreeMap<>();
    private final List<Deposit> uncertainWalletSends = new ArrayList<>();

    void userAcknowledged(String userId) {
        users.add(userId);
    }

    void depositAcknowledged(String reference, Deposit deposit) {
        uncertainDeposits.remove(reference);
        ackedDeposits.put(reference, deposit);
    }

    void depositUncertain(String reference, Deposit deposit) {
        if (!ackedDeposits.containsKey(reference)) {
            uncertainDeposits.put(reference, deposit);
        }
    }

    void withdrawalAcknowledged(String reference, Deposit withdrawal) {
        uncertainWithdrawals.remove(reference);
        ackedWithdrawals.put(reference, withdrawal);
    }

    void withdrawalUncertain(String reference, Deposit withdrawal) {
        if (!ackedWithdrawals.containsKey(reference)) {
            uncertainWithdrawals.put(reference, withdrawal);
        }
    }

    void sendAcknowledged(Packet packet) {
        Packet earlier = ackedSends.putIfAbsent(packet.id(), packet);
        require(earlier == null, "packet id " + packet.id() + " was answered for two sends");
    }

    /** A send paid from the wallet was acknowledged: its total left the sender's wallet. */
    void walletSendAcknowledged(Packet packet) {
        walletSends.put(packet.id(), new Deposit(packet.senderId(), packet.total()));
    }

    /** A send paid from the wallet whose answer was lost: it may have taken its total. */
    void walletSendUncertain(String senderId, long total) {
        uncertainWalletSends.add(new Deposit(senderId, total));
    }

    /**
     * The least the wallet can hold now: every acknowledged deposit, less every withdrawal and wallet-paid send that
     * was acknowledged or may have happened (but for {@code exceptWithdrawal}, whose retry is being judged). Claims
     * and refunds only add, so they are left out. A refusal for want of money below this is a wrongful one.
     */
    long balanceLowerBound(String userId, String exceptWithdrawal) {
        long in = ackedDeposits.values().stream().filter(d -> d.userId().equals(userId)).mapToLong(Deposit::amount).sum();
        long out = java.util.stream.Stream.of(ackedWithdrawals, uncertainWithdrawals)
                .flatMap(withdrawals -> withdrawals.entrySet().stream())
                .filter(w -> !w.getKey().equals(exceptWithdrawal) && w.getValue().userId().equals(userId))
                .mapToLong(w -> w.getValue().amount()).sum()
                + java.util.stream.Stream.concat(walletSends.values().stream(), uncertainWalletSends.stream())
                        .filter(send -> send.userId().equals(userId)).mapToLong(Deposit::amount).sum();
        return in - out;
    }

    /** A receipt for an open: the model must not have answered the same user's open of this packet with money before. */
    void openAcknowledged(Claim claim) {
        Long earlier = ackedOpens.putIfAbsent(new Open(claim.packetId(), claim.userId()), claim.amount());
        require(earlier == null, claim.userId() + " was given " + earlier + " and then " + claim.amount() + " from packet "
                + claim.packetId());
    }

    boolean openAcknowledged(long packetId, String userId) {
        return ackedOpens.containsKey(new Open(packetId, userId));
    }

    void paymentAnswered(long packetId, long total, PaymentStep.Outcome outcome) {
        PaymentStep.Outcome verdict = paymentVerdicts.get(packetId);
        if (outcome == PaymentStep.Outcome.PAID || outcome == PaymentStep.Outcome.CANCELLED) {
            require(verdict == null || verdict == outcome, "payment of packet " + packetId + " answered " + verdict
                    + " and later " + outcome);
            paymentVerdicts.put(packetId, outcome);
        }
        if (outcome == PaymentStep.Outcome.PAID) {
            require(verdict != PaymentStep.Outcome.CANCELLED, "packet " + packetId + " paid after it was cancelled");
            paidIn.put(packetId, total);
        }
    }

    void paymentUncertain(long packetId, long total) {
        maybePaidIn.put(packetId, total);
    }

    /**
     * The checks after every step, on the durable state as the service left it: {@code sets} read the derived tables
     * without deriving first, and {@code underived} are the journal's entries still waiting for derivation.
     */
    void check(StoreSets sets, List<SimDatabase.Underived> underived, Instant now) {
        List<ClearingPosition> before = positions(sets);
        List<AuditFacts> facts = sets.all().stream().map(Store::auditFacts).toList();
        List<String> problems = audit(facts, before, positions(sets), now, NO_WINDOW);
        require(problems.isEmpty(), "audit: " + problems);
        Map<Long, StoredPacket> packets = new HashMap<>();
        long external = 0;
        for (int set = 0; set < facts.size(); set++) {
            external += facts.get(set).accounts().stream().filter(a -> a.account().equals(Accounts.EXTERNAL))
                    .mapToLong(AuditFacts.AccountFact::balance).sum();
            for (AuditFacts.PacketFact fact : facts.get(set).packets()) {
                StoredPacket stored = sets.set(set).packet(fact.packetId()).orElseThrow();
                checkPacket(stored);
                packets.put(fact.packetId(), stored);
            }
        }
        checkMoneyIn(-external);
        ackedSends.forEach((id, sent) -> {
            StoredPacket stored = packets.get(id);
            require(stored != null, "acknowledged send of packet " + id + " is lost");
            Packet packet = stored.packet();
            require(packet.total() == sent.total() && packet.senderId().equals(sent.senderId())
                    && packet.shares().equals(sent.shares()), "packet " + id + " is not the one acknowledged: " + packet);
        });
        ackedOpens.forEach((open, amount) -> {
            List<Claim> claims = packets.get(open.packetId()).claims();
            boolean derived = claims.stream().anyMatch(c -> c.userId().equals(open.userId()) && c.amount() == amount);
            boolean journaled = underived.contains(new SimDatabase.Underived(open.packetId(), open.userId(), amount));
            require(derived || journaled, "acknowledged open of " + amount + " by " + open.userId() + " of packet "
                    + open.packetId() + " is lost: neither in " + claims + " nor among the journal's underived entries");
        });
        Set<Open> journaledOnce = new HashSet<>();
        for (SimDatabase.Underived entry : underived) {
            Open open = new Open(entry.packetId(), entry.userId());
            require(journaledOnce.add(open), "the journal holds two underived opens of packet " + entry.packetId()
                    + " by " + entry.userId());
            require(packets.get(entry.packetId()).claims().stream().noneMatch(c -> c.userId().equals(entry.userId())),
                    "an underived journal entry " + entry + " is already derived as a claim");
        }
        paymentVerdicts.forEach((id, verdict) -> {
            Packet packet = packets.get(id).packet();
            boolean holds = verdict == PaymentStep.Outcome.PAID ? packet.payStatus() == PayStatus.SERVER_CONFIRMED
                    : packet.status() == PacketStatus.CANCELLED;
            require(holds, "packet " + id + " was answered " + verdict + " but is " + packet.status() + "/" + packet.payStatus());
        });
        if (!users.isEmpty()) {
            Set<String> stored = new HashSet<>();
            sets.all().forEach(store -> store.users(users).forEach(user -> stored.add(user.userId())));
            users.forEach(user -> require(stored.contains(user), "acknowledged user " + user + " is lost"));
        }
        ackedDeposits.forEach((reference, deposit) -> require(
                sets.forUser(deposit.userId()).transferTime("deposit:" + reference).isPresent(),
                "acknowledged deposit " + reference + " is lost"));
        ackedWithdrawals.forEach((reference, withdrawal) -> require(
                sets.forUser(withdrawal.userId()).transferTime("withdrawal:" + reference).isPresent(),
                "acknowledged withdrawal " + reference + " is lost"));
    }

    /** Opened + refunded + what is still unopened = total; one claim per user; every claim before expiry. */
    private static void checkPacket(StoredPacket stored) {
        Packet p = stored.packet();
        Set<String> claimants = new HashSet<>();
        long opened = 0;
        for (Claim claim : stored.claims()) {
            require(claimants.add(claim.userId()), claim.userId() + " claimed packet " + p.id() + " twice");
            require(claim.amount() == p.shares().get(claim.seq() - 1), "claim " + claim + " is not share " + claim.seq());
            require(claim.claimedAt().isBefore(p.expiresAt()), "claim " + claim + " after expiry " + p.expiresAt());
            opened += claim.amount();
        }
        long unopened = p.shares().subList(p.openedCount(), p.count()).stream().mapToLong(Long::longValue).sum();
        long stillInEscrow = switch (p.status()) {
            case EXPIRED, FINISHED, CANCELLED -> 0;
            default -> unopened;
        };
        require(p.status() == PacketStatus.CANCELLED || opened + p.refunded() + stillInEscrow == p.total(),
                "packet " + p.id() + " " + p.status() + ": opened " + opened + " + refunded " + p.refunded()
                        + " + still in escrow " + stillInEscrow + " != total " + p.total());
    }

    /**
     * EXTERNAL has paid in every acknowledged deposit and payment and taken back every acknowledged withdrawal, and
     * moved nothing beyond the uncertain ones.
     */
    private void checkMoneyIn(long moneyIn) {
        long acked = ackedDeposits.values().stream().mapToLong(Deposit::amount).sum()
                + paidIn.values().stream().mapToLong(Long::longValue).sum()
                - ackedWithdrawals.values().stream().mapToLong(Deposit::amount).sum();
        long uncertainIn = uncertainDeposits.values().stream().mapToLong(Deposit::amount).sum()
                + maybePaidIn.entrySet().stream().filter(e -> !paidIn.containsKey(e.getKey()))
                        .mapToLong(Map.Entry::getValue).sum();
        long uncertainOut = uncertainWithdrawals.values().stream().mapToLong(Deposit::amount).sum();
        require(moneyIn >= acked - uncertainOut && moneyIn <= acked + uncertainIn, "money in from outside is "
                + moneyIn + ", but acknowledged " + acked + ", uncertain in " + uncertainIn + " and out " + uncertainOut);
    }

    /** The checks once everything has settled: the real audit window, empty outboxes, every claim credited once. */
    void checkQuiescent(StoreSets sets, Instant now, List<String> users) {
        List<String> problems = SetsAudit.run(sets, now).problems();
        require(problems.isEmpty(), "audit after settling: " + problems);
        Map<String, Long> claimedByUser = new TreeMap<>();
        for (Store store : sets.all()) {
            require(store.outbox(10).isEmpty(), "credits left in an outbox: " + store.outbox(10));
            for (AuditFacts.PacketFact fact : store.auditFacts().packets()) {
                StoredPacket stored = store.packet(fact.packetId()).orElseThrow();
                require(stored.packet().status() != PacketStatus.ACTIVE && stored.packet().status() != PacketStatus.UNPAID,
                        "packet " + fact.packetId() + " still " + stored.packet().status() + " after its expiry");
                if (fact.funded()) {
                    for (Claim claim : stored.claims()) {
                        require(claim.credited(), "claim " + claim + " of a paid packet never credited");
                        claimedByUser.merge(claim.userId(), claim.amount(), Long::sum);
                    }
                } else {
                    require(fact.creditedClaimSum() == 0, "unpaid packet " + fact.packetId() + " credited claims");
                }
            }
        }
        for (String user : users) {
            List<WalletEntry> entries = sets.forUser(user).walletEntries(user, null, 100_000);
            Set<String> ids = new HashSet<>();
            long credited = 0;
            for (WalletEntry entry : entries) {
                require(ids.add(entry.transferId()), "transfer " + entry.transferId() + " twice in " + user + "'s wallet");
                if (entry.kind() == TransferKind.CLAIM) {
                    credited += entry.amount();
                }
            }
            long claimed = claimedByUser.getOrDefault(user, 0L);
            require(credited == claimed, user + " was credited " + credited + " for claims of " + claimed);
        }
    }

    /** The domain's audits: each SET's ledger, and the clearing between SETs from positions read before and after. */
    private static List<String> audit(List<AuditFacts> facts, List<ClearingPosition> before, List<ClearingPosition> after,
            Instant now, Duration window) {
        List<String> problems = new ArrayList<>();
        for (int set = 0; set < facts.size(); set++) {
            for (String problem : LedgerAudit.evaluate(facts.get(set)).problems()) {
                problems.add("SET " + set + ": " + problem);
            }
        }
        problems.addAll(CrossSetAudit.evaluate(before, after, now, window));
        return problems;
    }

    private static List<ClearingPosition> positions(StoreSets sets) {
        return sets.all().stream().map(Store::clearingPosition).toList();
    }

    static void require(boolean holds, String problem) {
        if (!holds) {
            throw new SimulationFailure(problem);
        }
    }

    /** An invariant or an answer broken: the run fails with the seed that replays it. */
    static final class SimulationFailure extends RuntimeException {
        SimulationFailure(String message) {
            super(message);
        }
    }
}
