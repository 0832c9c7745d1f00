package hongbao.engine;

import hongbao.store.events.EventTx;
import hongbao.store.ledger.LedgerTx;
import hongbao.store.CommitOutcomeUnknown;
import hongbao.store.DatabaseBehind;
import hongbao.store.Failpoint;
import java.util.TreeSet;
import java.util.SortedSet;
import hongbao.domain.Accounts;
import hongbao.domain.Crediting;
import hongbao.domain.Limits;
import hongbao.domain.PacketStatus;
import hongbao.domain.PayStatus;
import hongbao.domain.PaymentStep;
import hongbao.domain.Payments;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.payments.RefundDue;
import hongbao.domain.SetLayout;
import hongbao.domain.ErrorCode;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketRules;
import hongbao.domain.Rejection;
import hongbao.domain.Transfer;
import hongbao.store.events.Events;
import hongbao.store.Store;
import hongbao.store.packets.StoredPacket;
import hongbao.store.WriteTx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a set of shards: applies their commands one after another on its own thread, writes each drained batch
 * in one transaction (group commit), and answers only after that commit is durable. No other thread changes the
 * working state of its packets, so no database row lock is ever fought over.
 */
final class ShardWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ShardWorker.class);

    private final int index;
    private final BlockingQueue<Command> queue;
    private final int maxBatch;
    private final Store store;
    private final SetLayout layout;
    private final Runnable outboxWritten;
    private final Runnable reconcileQueued;
    private final Clock clock;
    private final Map<Long, LivePacket> registry;
    private final EngineMetrics metrics;
    private volatile boolean running = true;
    private volatile Thread thread;

    /**
     * @param store         the database of the SET this worker's shards belong to
     * @param outboxWritten   told after a commit that queued credits for wallets in other SETs
     * @param reconcileQueued told after a commit that queued a reconciler pass (a payment arrived for claimed shares)
     */
    ShardWorker(int index, int queueBound, int maxBatch, Store store, SetLayout layout, Runnable outboxWritten,
            Runnable reconcileQueued, Clock clock, Map<Long, LivePacket> registry, EngineMetrics metrics) {
        this.index = index;
        this.queue = new ArrayBlockingQueue<>(queueBound);
        this.maxBatch = maxBatch;
        this.store = store;
        this.layout = layout;
        this.outboxWritten = outboxWritten;
        this.reconcileQueued = reconcileQueued;
        this.clock = clock;
        this.registry = registry;
        this.metrics = metrics;
        metrics.watchQueue(index, queue);
    }

    boolean offer(Command command) {
        return running && queue.offer(command);
    }

    void start() {
        thread = Thread.ofPlatform().name("shard-worker-" + index).start(this);
    }

    /** Stops taking commands, answers everything already queued, then returns. */
    void stopAndDrain() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join();
        }
    }

    boolean isAlive() {
        return thread != null && thread.isAlive();
    }

    @Override
    public void run() {
        while (running || !queue.isEmpty()) {
            try {
                Command first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first != null) {
                    processBatchFrom(first);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("worker {} interrupted; answering what is queued", index);
                running = false;
            }
        }
    }

    /**
     * Processes everything queued, batch after batch, on the caller's thread: for an engine whose workers have no
     * threads of their own (a deterministic simulation), where the thread waiting for an answer does the work.
     */
    void drainQueued() {
        Command first;
        while ((first = queue.poll()) != null) {
            processBatchFrom(first);
        }
    }

    private void processBatchFrom(Command first) {
        List<Command> batch = new ArrayList<>(maxBatch);
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        process(batch);
    }

    private void process(List<Command> batch) {
        if (batch.stream().allMatch(command -> command instanceof Command.Open)) {
            processOpens(batch);
        } else {
            processMixed(batch);
        }
    }

    /**
     * The storm's batch: opens only. Their claims go to the journal in one appended transaction; the answers go out
     * once it is durable. The tables are derived from the journal later, off this path.
     */
    private void processOpens(List<Command> batch) {
        Batch work = new Batch();
        List<PacketRules.Opened> journaled = new ArrayList<>(batch.size());
        long started = System.nanoTime();
        try {
            for (Command command : batch) {
                applyOpen((Command.Open) command, work, opened -> {
                    journaled.add(opened);
                    return Crediting.of(opened.after(), opened.claim(), layout);
                });
            }
            store.journalOpens(journaled);
        } catch (RuntimeException failure) {
            log.error("batch of {} opens failed to commit; reloading its packets", batch.size(), failure);
            recover(batch, work, failure);
            return;
        }
        finish(batch, work, started);
    }

    private void processMixed(List<Command> batch) {
        Batch work = new Batch();
        long started = System.nanoTime();
        try {
            store.write(tx -> {
                tx.lockAccounts(accountsTouchedBy(batch));
                for (Command command : batch) {
                    apply(command, tx, work);
                }
                for (LivePacket live : work.touched.values()) {
                    tx.updatePacketProgress(live.working());
                }
                return null;
            });
        } catch (RuntimeException failure) {
            log.error("batch of {} failed to commit; reloading its packets", batch.size(), failure);
            recover(batch, work, failure);
            return;
        }
        finish(batch, work, started);
    }

    private void finish(List<Command> batch, Batch work, long started) {
        metrics.batch(batch.size(), Duration.ofNanos(System.nanoTime() - started));
        if (work.wroteOutbox) {
            outboxWritten.run();
        }
        if (work.queuedReconcile) {
            Failpoint.hit(Failpoint.PAYMENT_NOTIFIED);
            reconcileQueued.run();
        }
        work.afterCommit.forEach(Runnable::run);
    }

    /**
     * Every account the batch will move money on, so they can be locked up front in one global order: two workers
     * (or a worker and a deposit) then never wait on each other's rows in a cycle.
     */
    private SortedSet<String> accountsTouchedBy(List<Command> batch) {
        SortedSet<String> accounts = new TreeSet<>();
        for (Command command : batch) {
            switch (command) {
                case Command.Send send -> {
                    accounts.add(Accounts.wallet(send.packet().senderId()));
                    accounts.add(Accounts.escrow(send.packet().shard()));
                }
                case Command.Open open -> {
                    if (layout.sameSet(open.live().id(), open.userId())) {
                        accounts.add(Accounts.wallet(open.userId()));
                    }
                    accounts.add(Accounts.escrow(open.live().working().shard()));
                }
                case Command.Pay pay -> {
                    // A notification moves money in from outside into the packet's escrow.
                    accounts.add(Accounts.EXTERNAL);
                    accounts.add(Accounts.escrow(PacketIds.shardOf(pay.packetId())));
                }
                case Command.Expire expire -> {
                    LivePacket live = registry.get(expire.packetId());
                    if (live != null) {
                        accounts.add(Accounts.wallet(live.working().senderId()));
                        accounts.add(Accounts.escrow(live.working().shard()));
                    }
                }
            }
        }
        return accounts;
    }

    private void apply(Command command, WriteTx tx, Batch work) {
        switch (command) {
            case Command.Send send -> applySend(send, tx, work);
            case Command.Open open -> applyOpen(open, work, opened -> tx.recordOpen(opened, layout));
            case Command.Expire expire -> applyExpire(expire, tx, work);
            case Command.Pay pay -> applyPayment(pay, tx, work);
        }
    }

    private void applySend(Command.Send send, WriteTx tx, Batch work) {
        Packet packet = send.packet();
        boolean paidByProvider = packet.payStatus() == PayStatus.UNPAID;
        if (paidByProvider) {
            tx.insertPacket(packet);
        } else if (!tx.insertPaidPacket(packet)) {
            work.afterCommit.add(() -> {
                metrics.send("insufficient_balance");
                send.reply().completeExceptionally(new Rejection(ErrorCode.INSUFFICIENT_BALANCE,
                        "the wallet balance is less than " + packet.total() + " fen"));
            });
            return;
        }
        tx.appendEvent(Events.sent(packet));
        send.answer().ifPresent(answer -> tx.saveAnswer(answer.slot(), answer.render().apply(packet)));
        work.afterCommit.add(() -> {
            registry.put(packet.id(), new LivePacket(new StoredPacket(packet, List.of())));
            metrics.send("ok");
            send.reply().complete(packet);
        });
    }

    /** @param record writes an open's durable record and says where its money goes */
    private void applyOpen(Command.Open open, Batch work, Function<PacketRules.Opened, Crediting> record) {
        LivePacket live = open.live();
        if (live.retired()) {
            work.afterCommit.add(() -> {
                live.settle(open.userId(), open.reserved(), false);
                open.reply().completeExceptionally(new Rejection(ErrorCode.UNAVAILABLE, "the packet is being reloaded "
                        + "after a failed commit; nothing was applied, retry"));
            });
            return;
        }
        PacketRules.OpenResult result = live.applyOpen(open.userId(), clock.instant(), layout);
        switch (result) {
            case PacketRules.Refused refused -> work.afterCommit.add(() -> {
                live.settle(open.userId(), open.reserved(), false);
                open.reply().completeExceptionally(new Rejection(refused.reason(), PacketRules.refusalMessage(refused.reason())));
            });
            case PacketRules.Opened opened -> {
                work.wroteOutbox |= record.apply(opened) instanceof Crediting.ViaOutbox;
                work.touched.put(live.id(), live);
                OpenReceipt receipt = new OpenReceipt(opened.claim(), opened.after());
                work.afterCommit.add(() -> {
                    live.publishOpen(open.userId(), open.reserved());
                    live.settle(open.userId(), open.reserved(), true);
                    open.reply().complete(receipt);
                });
            }
        }
    }

    /** An expiry moves the refund and reports it: the ledger's port and the event log's. */
    private <T extends LedgerTx & EventTx> void applyExpire(Command.Expire expire, T tx, Batch work) {
        LivePacket live = registry.get(expire.packetId());
        if (live == null) {
            live = store.packet(expire.packetId()).map(LivePacket::new).orElse(null);
        }
        if (live == null) {
            work.afterCommit.add(() -> expire.reply().complete(false));
            return;
        }
        LivePacket target = live;
        Optional<PacketRules.Expiry> expiry = PacketRules.expire(target.working(), clock.instant());
        expiry.ifPresent(e -> {
            target.applyChange(e.after());
            tx.appendEvent(Events.expired(e.after(), e.refund(), clock.instant()));
            if (e.refund() > 0) {
                Transfer refund = Transfer.refund(e.after(), e.refund(), clock.instant());
                if (tx.recordedTransfer(refund.id()).isEmpty()) {
                    tx.moveFromEscrow(refund);
                }
            }
            work.touched.put(target.id(), target);
        });
        boolean pastExpiry = target.working().isExpiredAt(clock.instant());
        work.afterCommit.add(() -> {
            target.publish();
            if (pastExpiry) {
                registry.remove(target.id());
            }
            expire.reply().complete(expiry.isPresent());
        });
    }

    private void applyPayment(Command.Pay pay, WriteTx tx, Batch work) {
        LivePacket live = registry.get(pay.packetId());
        if (live == null) {
            // Registered at once, so that an open adopting the same packet meanwhile gets this very instance.
            live = store.packet(pay.packetId())
                    .map(stored -> registry.computeIfAbsent(pay.packetId(), id -> new LivePacket(stored)))
                    .orElse(null);
        }
        if (live == null) {
            work.afterCommit.add(() -> pay.reply().completeExceptionally(
                    new Rejection(ErrorCode.NOT_FOUND, "no packet " + pay.packetId())));
            return;
        }
        PaymentStep step;
        try {
            step = pay.event().apply(live.working());
        } catch (Rejection refused) {
            work.afterCommit.add(() -> pay.reply().completeExceptionally(refused));
            return;
        }
        LivePacket target = live;
        Instant now = clock.instant();
        step.after().ifPresent(after -> {
            if (after.status() == PacketStatus.CANCELLED && target.working().status() != PacketStatus.CANCELLED) {
                tx.appendEvent(Events.cancelled(after, now));
            }
            target.applyChange(after);
            work.touched.put(target.id(), target);
        });
        step.funding().ifPresent(funding -> {
            if (!tx.move(funding, -Limits.DEFAULT.maxMoneySupply())) {
                throw new IllegalStateException("the money supply limit stops payment " + funding.id());
            }
            tx.appendEvent(Events.paymentSettled(target.working(), funding.amount(), step.outcome().name(), now));
        });
        if (step.creditWaitingClaims()) {
            tx.insertJob(new ReconcileJob(target.id(), 1, now));
            work.queuedReconcile = true;
        }
        step.refundDueReason().ifPresent(reason -> tx.insertRefundDue(new RefundDue(
                Payments.paymentId(target.id()), target.id(), target.working().total(), reason, now)));
        work.afterCommit.add(() -> {
            target.publish();
            if (target.committed().status() == PacketStatus.CANCELLED) {
                registry.remove(target.id());
            }
            pay.reply().complete(step.outcome());
        });
    }

    /** Packets reloaded as the store has them; each command refused, or told its outcome is unknown. */
    private void recover(List<Command> batch, Batch work, RuntimeException failure) {
        for (LivePacket live : work.touched.values()) {
            try {
                store.packet(live.id()).ifPresentOrElse(live::reload, () -> retire(live));
            } catch (RuntimeException reloadFailure) {
                log.error("cannot reload packet {}; dropping it from memory", live.id(), reloadFailure);
                retire(live);
            }
        }
        Rejection unavailable = switch (failure) {
            case CommitOutcomeUnknown unknown -> new Rejection(ErrorCode.OUTCOME_UNKNOWN, "the database's answer to the "
                    + "commit was lost: this may have been applied; learn its outcome (Idempotency-Key, GET) before retrying");
            case DatabaseBehind wentBack -> new Rejection(ErrorCode.SET_DATABASE_BEHIND, "this SET's "
                    + wentBack.getMessage() + "; nothing was applied");
            default -> new Rejection(ErrorCode.UNAVAILABLE, "the store did not commit; retry");
        };
        for (Command command : batch) {
            if (command instanceof Command.Open open) {
                open.live().settle(open.userId(), open.reserved(), false);
            }
            command.reply().completeExceptionally(unavailable);
        }
    }

    /** Opens already queued with it hold it still: they must not go on from its working state (see LivePacket). */
    private void retire(LivePacket live) {
        live.retire();
        registry.remove(live.id(), live);
    }

    /** What one batch touched and what to do once it is durable. */
    private static final class Batch {
        final Map<Long, LivePacket> touched = new LinkedHashMap<>();
        final List<Runnable> afterCommit = new ArrayList<>();
        boolean wroteOutbox;
        boolean queuedReconcile;
    }
}
