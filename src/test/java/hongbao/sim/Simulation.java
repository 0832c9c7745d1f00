package hongbao.sim;

import hongbao.domain.ErrorCode;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketStatus;
import hongbao.domain.PayMethod;
import hongbao.domain.PaymentNotice;
import hongbao.domain.PaymentStep;
import hongbao.domain.Payments;
import hongbao.domain.Rejection;
import hongbao.domain.SetLayout;
import hongbao.engine.OpenReceipt;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

/**
 * One seeded run, as TigerBeetle's VOPR runs one: the seed draws the workload, the faults and the passing of time;
 * the real engine, jobs and services run on this one thread against SQLite stores wrapped in {@link FaultyStore}; after
 * every step the {@link SimModel} checks the ledger and every answer given. Then the faults stop, the service restarts
 * once more and everything must settle: the clean phase, where what was left half-done must converge.
 */
final class Simulation {
    static final int SETS = 2;
    static final int SHARDS = 8;
    private static final List<String> USERS = IntStream.range(0, 6).mapToObj(i -> "u" + i).toList();
    private static final String GROUP = "g";
    private static final int MAX_RESTARTS = 50;
    /** Each run's journal trims after 1 or 2 derived entries: a run appends a few dozen, the service trims after 4,096. */
    private static final int MAX_TRIM_EVERY = 2;
    /** {@code -Dsim.trace=true} prints every event of a replayed seed. */
    private static final boolean PRINT_TRACE = Boolean.getBoolean("sim.trace");

    private final long seed;
    private final SplittableRandom random;
    private final SimClock clock;
    private final Faults faults;
    private final SetLayout layout = new SetLayout(SHARDS, SETS);
    private final List<SimDatabase> databases;
    private final SimModel model = new SimModel();
    private final SimMerchant merchants;
    private final MessageDigest trace;
    private final List<InFlightOpen> inFlight = new ArrayList<>();
    /** Notifications the provider has sent or will send, delivered in any order, some more than once. */
    private final List<PaymentNotice> provider = new ArrayList<>();
    private final List<Long> packetIds = new ArrayList<>();
    private SimNode node;
    /** The owner a takeover left paused, and the opens it had queued: it wakes up later, sure it still owns the SETs. */
    private SimNode paused;
    private List<InFlightOpen> pausedQueue = List.of();
    /** The model's reader of each SET (see {@link SimDatabase#checkView}): never derives before reading. */
    private StoreSets durable;
    /** What the step's request leaves uncertain if the process dies before it is answered. */
    private Runnable ifCrashed = () -> { };
    /** A wallet's balance the service read out during this step, before anything else could change it. */
    private Map.Entry<String, Long> balanceRead;
    private int step;
    private long checkedAtCommit = -1;
    private int checkedAtCrash;
    private int references;
    private int newUsers;

    /** @param crashes how often the process died (injected at a statement, or between steps) */
    record Result(int crashes, String traceHash) {
    }

    private record InFlightOpen(String userId, long packetId, CompletableFuture<OpenReceipt> answer) {
    }

    private Simulation(long seed, Path dir) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.clock = new SimClock(Instant.parse("2026-11-25T10:00:00Z"), random.split());
        this.faults = new Faults(random.split(), clock);
        this.merchants = new SimMerchant(random.split(), model, USERS, this::record, packetIds::add);
        int trimEvery = 1 + random.nextInt(MAX_TRIM_EVERY);
        this.databases = IntStream.range(0, SETS).mapToObj(set -> SimDatabase.create(dir, layout, set, trimEvery)).toList();
        try {
            this.trace = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Result run(long seed, int steps, Path dir) {
        return new Simulation(seed, dir).run(steps);
    }

    private Result run(int steps) {
        node = SimNode.start(databases, layout, clock, faults, random.split());
        durable = new StoreSets(layout, databases.stream().map(SimDatabase::checkView).toList());
        try {
            USERS.forEach(user -> node.accounts.createUser(user, user));
            node.accounts.createGroup(GROUP, GROUP, USERS);
            merchants.setUp(node, clock.peek());
            faults.enable(true);
            for (step = 0; step < steps; step++) {
                ifCrashed = () -> { };
                balanceRead = null;
                try {
                    act();
                    if (faults.dead()) {
                        // The crash surfaced inside a task whose failure the service wraps (the dispatcher's sends).
                        throw new SimulatedCrash("inside a wrapped task");
                    }
                    settleAnswered();
                } catch (SimulatedCrash crash) {
                    ifCrashed.run();
                    record("crash " + crash.getMessage());
                    restart();
                }
                checkIfChanged();
            }
            if (paused != null) {
                staleOwnerWakes();
                checkIfChanged();
            }
            faults.enable(false);
            record("clean phase");
            node.die();
            restart();
            settle();
            return new Result(faults.crashes(), HexFormat.of().formatHex(trace.digest()));
        } finally {
            node.die();
            if (paused != null) {
                paused.die();
            }
            durable.all().forEach(Store::close);
        }
    }

    /**
     * The model's checks, whenever a step committed anything (or a crash dropped the process): the checks read only
     * durable state and answers, and a step without a commit changed neither what they read nor what they judge.
     */
    private void checkIfChanged() {
        RuntimeException unexpected = faults.unexpectedFailure();
        if (unexpected != null) {
            throw new SimModel.SimulationFailure("a transaction failed without an injected fault: " + unexpected);
        }
        if (faults.commits() != checkedAtCommit || faults.crashes() != checkedAtCrash) {
            model.check(durable, underived(), clock.peek());
            merchants.check(durable);
            checkedAtCommit = faults.commits();
            checkedAtCrash = faults.crashes();
        }
    }

    /** Every SET's journal entries still waiting for derivation. */
    private List<SimDatabase.Underived> underived() {
        return databases.stream().flatMap(database -> database.underived().stream()).toList();
    }

    private void act() {
        if (paused != null && random.nextInt(4) == 0) {
            staleOwnerWakes();
            return;
        }
        int choice = random.nextInt(100);
        if (choice < 9) {
            deposit();
        } else if (choice < 11) {
            withdraw();
        } else if (choice < 25) {
            send();
        } else if (choice < 37) {
            openNow();
        } else if (choice < 49) {
            openLater();
        } else if (choice < 51) {
            grab();
        } else if (choice < 55) {
            background("journal derivation", () -> {
                // The workers run beside the derivation pass: what they queued is appended first, and then derived
                // and trimmed, as when the pass comes between a batch's append and the next read.
                node.engine.join(CompletableFuture.completedFuture(null));
                // The service derives in slices that leave the rest pending; a close or a hand-over, everything.
                return node.sets.all().stream()
                        .mapToInt(random.nextBoolean() ? Store::deriveJournalSlice : Store::deriveJournal).sum();
            });
        } else if (choice < 61) {
            background("expiry", () -> node.expiry.runOnce());
        } else if (choice < 65) {
            background("relay", () -> {
                node.relay.deliverAll();
                return 0;
            });
        } else if (choice < 69) {
            background("reconciler", () -> {
                node.reconciler.runAllDue();
                return 0;
            });
        } else if (choice < 72) {
            background("payment timeouts", () -> node.payments.cancelOverdue());
        } else if (choice < 75) {
            clientConfirm();
        } else if (choice < 81) {
            notifyPayment();
        } else if (choice < 83) {
            passTime(Duration.ofMillis(1 + random.nextLong(120_000)));
        } else if (choice < 85) {
            passTime(Duration.ofMinutes(1 + random.nextLong(36 * 60)));
        } else if (choice < 91) {
            raceExpiry();
        } else if (choice < 94) {
            merchants.bill(node);
        } else if (choice < 96) {
            merchants.enter(node);
        } else if (choice < 97) {
            background("campaign dispatcher", () -> node.dispatcher.dispatch());
        } else if (choice < 98) {
            createUser();
        } else if (choice < 99) {
            record("crash between steps");
            faults.crash("between steps");
        } else {
            takeOver();
        }
    }

    /**
     * The owner pauses, keeping what it holds in memory (its queued opens included), and another node takes every SET
     * over with --take-over, which does not wait for a lease to run out: the epochs rise, and it starts from the files.
     * The paused one wakes up later ({@link #staleOwnerWakes}); one paused before it never does.
     */
    private void takeOver() {
        if (paused != null) {
            paused.die();
        }
        record("the owner pauses; another node takes every SET over");
        paused = node;
        pausedQueue = List.copyOf(inFlight);
        startNode();
    }

    /**
     * The paused owner wakes up sure it still owns its SETs (its lease had time left): its workers run the opens they
     * had queued, and it takes a request or two. Only the fence stands between it and the files: every write it tries
     * must be refused, so that it acknowledges nothing, and its first refused write stops it, as the service stops
     * (exit 3). Its refusals are not judged: it answers from a memory that the new owner has moved past.
     */
    private void staleOwnerWakes() {
        SimNode stale = paused;
        List<InFlightOpen> queued = pausedQueue;
        paused = null;
        pausedQueue = List.of();
        record("the paused owner wakes up");
        faults.staleOwnerActing(true);
        try {
            stale.engine.join(CompletableFuture.completedFuture(null));
            for (InFlightOpen open : queued) {
                mustBeRefused("queued open " + open.packetId() + " by " + open.userId(), () -> {
                    if (!open.answer().isDone()) {
                        throw new IllegalStateException("not answered");
                    }
                    return open.answer().join();
                });
            }
            for (int requests = 1 + random.nextInt(3); requests > 0 && !stale.fenced.get(); requests--) {
                Optional<Long> packet = random.nextBoolean() ? packet() : Optional.empty();
                String user = user();
                if (packet.isPresent()) {
                    mustBeRefused("open " + packet.get() + " by " + user, () -> stale.packets.open(user, packet.get()));
                } else {
                    String reference = "stale-" + references++;
                    long amount = 1 + random.nextLong(50_000);
                    mustBeRefused("deposit " + reference + " " + amount + " to " + user,
                            () -> stale.accounts.deposit(user, amount, reference));
                }
            }
            record("the taken-over owner " + (stale.fenced.get() ? "was fenced and stops" : "stops"));
        } finally {
            faults.staleOwnerActing(false);
            stale.die();
        }
    }

    private void mustBeRefused(String name, java.util.function.Supplier<?> request) {
        Object answer;
        try {
            answer = request.get();
        } catch (RuntimeException refused) {
            record(name + " on the taken-over owner -> " + refused.getMessage());
            return;
        }
        throw new SimModel.SimulationFailure(name + " was acknowledged by an owner whose SETs were taken over (" + answer
                + "): the fence let its write through");
    }

    /**
     * Opens and the expiry race across a packet's expiry: the clock is brought to a few milliseconds before it, opens
     * are queued, and the expiry job runs while they wait.
     */
    private void raceExpiry() {
        Optional<Packet> next = model.ackedSends.values().stream()
                .filter(packet -> packet.expiresAt().isAfter(clock.peek().plusMillis(10)))
                .min(java.util.Comparator.comparing(Packet::expiresAt));
        next.ifPresent(packet -> {
            passTime(Duration.between(clock.peek(), packet.expiresAt()).minusMillis(random.nextInt(4)));
            for (int opens = random.nextInt(7); opens > 0; opens--) {
                queueOpen(packet.id(), user());
            }
            background("expiry", () -> node.expiry.runOnce());
        });
    }

    /** A new user, or one whose creation was not answered, again; the model checks acknowledged ones survive. */
    private void createUser() {
        String user = "n" + random.nextInt(newUsers + 1);
        newUsers = Math.max(newUsers, Integer.parseInt(user.substring(1)) + 1);
        String name = "create user " + user;
        try {
            record(name + " -> " + node.accounts.createUser(user, user));
            model.userAcknowledged(user);
        } catch (Rejection refused) {
            refusedOrUncertain(name, refused, () -> { });
        } catch (RuntimeException failed) {
            uncertain(name, failed, () -> { });
        }
    }

    private String user() {
        return USERS.get(random.nextInt(USERS.size()));
    }

    private Optional<Long> packet() {
        return packetIds.isEmpty() ? Optional.empty() : Optional.of(packetIds.get(random.nextInt(packetIds.size())));
    }

    private void deposit() {
        boolean retry = !model.uncertainDeposits.isEmpty() && random.nextInt(3) == 0;
        String reference;
        SimModel.Deposit deposit;
        if (retry) {
            reference = model.uncertainDeposits.keySet().iterator().next();
            deposit = model.uncertainDeposits.get(reference);
        } else {
            reference = "ref-" + references++;
            deposit = new SimModel.Deposit(user(), 1 + random.nextLong(50_000));
        }
        String name = "deposit " + reference + " " + deposit;
        ifCrashed = () -> model.depositUncertain(reference, deposit);
        try {
            long balance = node.accounts.deposit(deposit.userId(), deposit.amount(), reference);
            model.depositAcknowledged(reference, deposit);
            record(name + " -> " + balance);
        } catch (Rejection refused) {
            refusedOrUncertain(name, refused, () -> model.depositUncertain(reference, deposit));
        } catch (RuntimeException failed) {
            uncertain(name, failed, () -> model.depositUncertain(reference, deposit));
        }
    }

    /** Money out: a new withdrawal, or a retry of one whose outcome is unknown; a short balance is refused. */
    private void withdraw() {
        boolean retry = !model.uncertainWithdrawals.isEmpty() && random.nextInt(3) == 0;
        String reference;
        SimModel.Deposit withdrawal;
        if (retry) {
            reference = model.uncertainWithdrawals.keySet().iterator().next();
            withdrawal = model.uncertainWithdrawals.get(reference);
        } else {
            reference = "out-" + references++;
            String user = user();
            withdrawal = new SimModel.Deposit(user, edgeAmount(user, reference).orElseGet(() -> 1 + random.nextLong(20_000)));
        }
        String name = "withdraw " + reference + " " + withdrawal;
        ifCrashed = () -> model.withdrawalUncertain(reference, withdrawal);
        try {
            long balance = node.accounts.withdraw(withdrawal.userId(), withdrawal.amount(), reference);
            model.withdrawalAcknowledged(reference, withdrawal);
            record(name + " -> " + balance);
        } catch (Rejection refused) {
            refusedOrUncertain(name, refused, () -> model.withdrawalUncertain(reference, withdrawal));
            judgeShortBalance(name, refused, withdrawal.userId(), withdrawal.amount(), reference);
        } catch (RuntimeException failed) {
            uncertain(name, failed, () -> model.withdrawalUncertain(reference, withdrawal));
        }
    }

    private void send() {
        String sender = user();
        PacketKind kind = PacketKind.values()[random.nextInt(PacketKind.values().length)];
        PayMethod method = random.nextInt(4) == 0 ? PayMethod.THIRD_PARTY : PayMethod.BALANCE;
        boolean personal = kind == PacketKind.PERSONAL;
        int count = personal ? 1 : 1 + random.nextInt(6);
        long total = method == PayMethod.BALANCE
                ? edgeAmount(sender, null).filter(all -> all >= count && all <= 30_000).orElseGet(() -> 1 + random.nextLong(30_000))
                : 1 + random.nextLong(30_000);
        String receiver = USERS.get((USERS.indexOf(sender) + 1 + random.nextInt(USERS.size() - 1)) % USERS.size());
        PacketOrder order = new PacketOrder(kind, sender, personal ? null : GROUP, personal ? receiver : null, "hi", total,
                count, random.nextBoolean(), method);
        String name = "send " + kind + " " + method + " " + total + "/" + count + " by " + sender;
        Runnable ifLost = method == PayMethod.BALANCE ? () -> model.walletSendUncertain(sender, total) : () -> { };
        ifCrashed = ifLost;
        try {
            Packet packet = node.packets.send(order, Optional.empty());
            model.sendAcknowledged(packet);
            if (method == PayMethod.BALANCE) {
                model.walletSendAcknowledged(packet);
            }
            packetIds.add(packet.id());
            if (method == PayMethod.THIRD_PARTY) {
                provider.add(new PaymentNotice(Payments.paymentId(packet.id()), total, random.nextInt(5) > 0,
                        "tx-" + packet.id()));
            }
            record(name + " -> " + packet.id() + " " + packet.shares());
        } catch (Rejection refused) {
            refusedOrUncertain(name, refused, ifLost);
            if (method == PayMethod.BALANCE) {
                judgeShortBalance(name, refused, sender, total, null);
            }
        } catch (RuntimeException failed) {
            uncertain(name, failed, ifLost);
        }
    }

    /**
     * An amount at the edge of what the wallet holds, a third of the time: all of it, as the service reads it just
     * now (nothing can take money out of it before the request: one thread runs everything), or the model's lower
     * bound. A check off by one refuses exactly these.
     */
    private Optional<Long> edgeAmount(String user, String reference) {
        int pick = random.nextInt(6);
        if (pick == 0) {
            try {
                long all = node.accounts.balance(user);
                record("balance of " + user + " -> " + all);
                balanceRead = Map.entry(user, all);
                return all > 0 ? Optional.of(all) : Optional.empty();
            } catch (RuntimeException failed) {
                record("balance of " + user + " -> failed: " + failed.getMessage());
                return Optional.empty();
            }
        }
        long bound = model.balanceLowerBound(user, reference);
        return pick == 1 && bound > 0 ? Optional.of(bound) : Optional.empty();
    }

    /**
     * A refusal for want of money is wrongful if the wallet surely holds the amount: the model's lower bound, or the
     * balance the service read out for this very request.
     */
    private void judgeShortBalance(String name, Rejection refused, String user, long amount, String reference) {
        if (refused.code() == ErrorCode.INSUFFICIENT_BALANCE) {
            long bound = model.balanceLowerBound(user, reference);
            SimModel.require(amount > bound, name + " was refused INSUFFICIENT_BALANCE, but the wallet holds at least "
                    + bound);
            if (balanceRead != null && balanceRead.getKey().equals(user)) {
                SimModel.require(amount > balanceRead.getValue(), name + " was refused INSUFFICIENT_BALANCE, but the "
                        + "wallet held " + balanceRead.getValue() + " just before");
            }
        }
    }

    private void openNow() {
        packet().ifPresent(packetId -> {
            String user = user();
            String name = "open " + packetId + " by " + user;
            try {
                answered(name, node.packets.open(user, packetId));
            } catch (Rejection refused) {
                openRefused(name, packetId, user, refused);
            } catch (RuntimeException failed) {
                uncertain(name, failed, () -> { });
            }
        });
    }

    /** An open queued behind others: it commits with whatever the worker next drains, in one batch with them. */
    private void openLater() {
        packet().ifPresent(packetId -> queueOpen(packetId, user()));
    }

    private void queueOpen(long packetId, String user) {
        String name = "queue open " + packetId + " by " + user;
        try {
            inFlight.add(new InFlightOpen(user, packetId, node.packets.openLater(user, packetId)));
            record(name);
        } catch (Rejection refused) {
            openRefused(name, packetId, user, refused);
        } catch (RuntimeException failed) {
            // Reading the packet in (its catch-up derivation) failed before the open was queued.
            uncertain(name, failed, () -> { });
        }
    }

    private void grab() {
        packet().ifPresent(packetId -> {
            String user = user();
            String name = "grab " + packetId + " by " + user;
            try {
                Optional<ErrorCode> refusal = node.packets.grab(user, packetId);
                record(name + " -> " + refusal.map(Enum::name).orElse("available"));
                refusal.ifPresent(code -> checkRefusal(name, packetId, user, code));
            } catch (Rejection refused) {
                refusedOrUncertain(name, refused, () -> { });
            } catch (RuntimeException failed) {
                uncertain(name, failed, () -> { });
            }
        });
    }

    private void clientConfirm() {
        packet().ifPresent(packetId -> {
            Packet packet = model.ackedSends.get(packetId);
            String name = "client confirms " + packetId;
            try {
                PaymentStep.Outcome outcome = node.payments.clientConfirm(packet.senderId(), packetId);
                model.paymentAnswered(packetId, packet.total(), outcome);
                record(name + " -> " + outcome);
            } catch (Rejection refused) {
                refusedOrUncertain(name, refused, () -> { });
            } catch (RuntimeException failed) {
                uncertain(name, failed, () -> { });
            }
        });
    }

    /** A provider notification, in any order, perhaps again, late, or forged with a wrong amount or an unknown id. */
    private void notifyPayment() {
        if (provider.isEmpty()) {
            return;
        }
        int pick = random.nextInt(provider.size());
        PaymentNotice notice = provider.get(pick);
        int forgery = random.nextInt(10);
        if (forgery == 0) {
            notice = new PaymentNotice(notice.paymentId(), notice.amount() + 1, true, "forged");
        } else if (forgery == 1) {
            long unknown = PacketIds.compose(Instant.parse("2026-01-01T00:00:00Z"), random.nextInt(SHARDS), random.nextInt(100));
            notice = new PaymentNotice(Payments.paymentId(unknown), notice.amount(), true, "forged");
        } else if (random.nextInt(3) > 0) {
            provider.remove(pick);
        }
        long packetId = Payments.packetIdOf(notice.paymentId()).orElseThrow();
        Packet packet = model.ackedSends.get(packetId);
        String name = "notify " + notice;
        boolean genuine = packet != null && notice.success() && notice.amount() == packet.total();
        ifCrashed = () -> uncertainPayment(genuine, packetId, packet);
        try {
            PaymentStep.Outcome outcome = node.payments.notify(notice);
            SimModel.require(packet != null && notice.amount() == packet.total(), name + " was accepted: " + outcome);
            model.paymentAnswered(packetId, packet.total(), outcome);
            record(name + " -> " + outcome);
        } catch (Rejection refused) {
            refusedOrUncertain(name, refused, () -> uncertainPayment(genuine, packetId, packet));
        } catch (RuntimeException failed) {
            uncertain(name, failed, () -> uncertainPayment(genuine, packetId, packet));
        }
    }

    private void uncertainPayment(boolean genuine, long packetId, Packet packet) {
        if (genuine) {
            model.paymentUncertain(packetId, packet.total());
        }
    }

    /** Background work the service runs on its own schedule; a failure only delays it, as in the service. */
    private void background(String name, java.util.function.IntSupplier work) {
        try {
            record(name + " -> " + work.getAsInt());
        } catch (RuntimeException failed) {
            record(name + " failed: " + failed.getMessage());
        }
    }

    private void passTime(Duration by) {
        clock.advance(by);
        record("time +" + by);
    }

    private void answered(String name, OpenReceipt receipt) {
        model.openAcknowledged(receipt.claim());
        record(name + " -> " + receipt.claim().amount());
    }

    private void openRefused(String name, long packetId, String user, Rejection refused) {
        refusedOrUncertain(name, refused, () -> { });
        checkRefusal(name, packetId, user, refused.code());
    }

    /** A refusal must agree with what is durable: "already claimed" means a claim exists, "expired" that it has. */
    private void checkRefusal(String name, long packetId, String user, ErrorCode code) {
        if (code == ErrorCode.ALREADY_CLAIMED) {
            SimModel.require(durableClaimants(packetId).contains(user), name + " answered ALREADY_CLAIMED without a claim "
                    + "in the tables or the journal");
        } else if (code == ErrorCode.SNATCHED_OUT && inFlight.stream().noneMatch(open -> open.packetId() == packetId)) {
            // (A queued open already holds its share in the engine: until it commits, the count cannot be judged.)
            Packet packet = durable.forPacket(packetId).packet(packetId).orElseThrow().packet();
            SimModel.require(durableClaimants(packetId).size() == packet.count(), name + " answered SNATCHED_OUT, but "
                    + "only " + durableClaimants(packetId) + " of " + packet.count() + " shares are claimed");
        } else if (code == ErrorCode.EXPIRED) {
            Packet packet = durable.forPacket(packetId).packet(packetId).orElseThrow().packet();
            SimModel.require(packet.isExpiredAt(clock.latest()), name + " answered EXPIRED before " + packet.expiresAt());
        } else if (model.openAcknowledged(packetId, user)) {
            SimModel.require(code != ErrorCode.NOT_FOUND, name + " answered NOT_FOUND for an opened packet");
        }
    }

    /** Who has claimed the packet, durably: its derived claims and the journal's entries not yet derived. */
    private java.util.Set<String> durableClaimants(long packetId) {
        java.util.Set<String> claimants = new java.util.TreeSet<>();
        durable.forPacket(packetId).packet(packetId).ifPresent(stored -> stored.claims().forEach(c -> claimants.add(c.userId())));
        underived().stream().filter(entry -> entry.packetId() == packetId).forEach(entry -> claimants.add(entry.userId()));
        return claimants;
    }

    /**
     * Only OUTCOME_UNKNOWN leaves a request uncertain: UNAVAILABLE and BUSY promise that nothing was applied, and the
     * model's checks hold the service to it (API.md, "Outcome unknown").
     */
    private void refusedOrUncertain(String name, Rejection refused, Runnable uncertain) {
        if (refused.code() == ErrorCode.OUTCOME_UNKNOWN) {
            uncertain.run();
        }
        record(name + " -> " + refused.code());
    }

    private void uncertain(String name, RuntimeException failed, Runnable uncertain) {
        uncertain.run();
        record(name + " -> failed: " + failed.getMessage());
    }

    /** Takes in the answers of queued opens that a drained batch has given. */
    private void settleAnswered() {
        for (Iterator<InFlightOpen> it = inFlight.iterator(); it.hasNext(); ) {
            InFlightOpen open = it.next();
            if (!open.answer().isDone()) {
                continue;
            }
            it.remove();
            String name = "queued open " + open.packetId() + " by " + open.userId();
            try {
                answered(name, open.answer().join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof Rejection refused) {
                    openRefused(name, open.packetId(), open.userId(), refused);
                } else {
                    record(name + " -> failed: " + e.getCause());
                }
            }
        }
    }

    /** The process died: all it held in memory goes; a new one starts from what is durable. */
    private void restart() {
        node.die();
        startNode();
    }

    /** A new process takes the SETs and starts from what is durable, again after each failed start. */
    private void startNode() {
        inFlight.clear();
        for (int attempt = 0; ; attempt++) {
            faults.restarted();
            // A restart may come within the old process's last millisecond, and the clock may step back after it:
            // new packet ids must still come after every stored one (PacketIdGenerator).
            clock.advance(Duration.ofMillis(random.nextInt(4) == 0 ? 0 : random.nextInt(30_000)));
            try {
                node = SimNode.start(databases, layout, clock, faults, random.split());
                record("restarted");
                return;
            } catch (SimulatedCrash | RuntimeException failedStart) {
                record("start failed: " + failedStart.getMessage());
                if (attempt == MAX_RESTARTS) {
                    throw new SimModel.SimulationFailure("the service cannot start: " + failedStart);
                }
            }
        }
    }

    /** Everything due runs, the clock passes every expiry and timeout, and then nothing may be left half-done. */
    private void settle() {
        merchants.settle(node);
        node.relay.deliverAll();
        node.reconciler.runAllDue();
        clock.advance(SimNode.TTL.plus(Duration.ofHours(1)));
        node.payments.cancelOverdue();
        node.expiry.runOnce();
        clock.advance(SimNode.SECOND_PASS_DELAY.plusSeconds(1));
        node.reconciler.runAllDue();
        node.relay.deliverAll();
        checkIfChanged();
        model.check(node.sets, List.of(), clock.peek());
        List<String> wallets = new ArrayList<>(USERS);
        wallets.add(SimMerchant.MERCHANT.walletUserId());
        model.checkQuiescent(node.sets, clock.peek(), wallets);
        merchants.checkQuiescent(node);
        for (long id : packetIds) {
            PacketStatus status = node.sets.forPacket(id).packet(id).orElseThrow().packet().status();
            record("settled " + id + " " + status);
        }
    }

    void record(String event) {
        if (PRINT_TRACE) {
            System.out.println("sim " + seed + " step " + step + " @" + clock.peek() + ": " + event);
        }
        trace.update((step + " " + clock.peek().toEpochMilli() + " " + event + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
