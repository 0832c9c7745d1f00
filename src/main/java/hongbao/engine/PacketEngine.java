package hongbao.engine;

import hongbao.domain.ErrorCode;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PaymentStep;
import hongbao.domain.Rejection;
import hongbao.domain.SetLayout;
import hongbao.store.NotOwnedHere;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Routes packet commands to the worker owning the packet's shard, with admission control in front: opens of a
 * packet whose shares are all promised are refused before queueing, and a full queue answers BUSY.
 */
public final class PacketEngine implements AutoCloseable {
    private final EngineConfig config;
    private final SetLayout layout;
    private final Clock clock;
    private final Map<Long, LivePacket> registry = new ConcurrentHashMap<>();
    private final List<ShardWorker> workers = new ArrayList<>();
    /** Each SET's workers; none for a SET another node owns. */
    private final List<List<ShardWorker>> workersBySet = new ArrayList<>();
    private final PacketIdGenerator ids;
    private final EngineMetrics metrics;
    private final Workers driving;
    private final Supplier<RandomGenerator> shardRandom;

    /** Who runs the workers' batches. */
    public enum Workers {
        /** A thread per worker (the service). */
        OWN_THREADS,
        /**
         * No threads: a caller waiting for an answer first processes everything queued, on its own thread. For a
         * deterministic simulation, which decides alone what runs when.
         */
        CALLER_DRIVEN
    }

    public PacketEngine(StoreSets sets, Clock clock, EngineConfig config, EngineMetrics metrics, EngineListeners listeners) {
        this(sets, clock, config, metrics, listeners, Workers.OWN_THREADS, ThreadLocalRandom::current);
    }

    /** @param shardRandom picks the shard of a new packet; the service uses each thread's own generator */
    public PacketEngine(StoreSets sets, Clock clock, EngineConfig config, EngineMetrics metrics, EngineListeners listeners,
            Workers driving, Supplier<RandomGenerator> shardRandom) {
        this.config = config;
        this.driving = driving;
        this.shardRandom = shardRandom;
        this.layout = sets.layout();
        this.clock = clock;
        this.ids = new PacketIdGenerator(clock, sets.all().stream().mapToLong(Store::lastPacketId).max().orElse(0));
        this.metrics = metrics;
        if (layout.shards() != config.shards() || config.workers() > layout.shardCountOf(layout.sets() - 1)) {
            throw new IllegalArgumentException("each of " + layout.sets() + " SETs needs at least " + config.workers()
                    + " of the " + config.shards() + " shards");
        }
        for (Store store : sets.owned()) {
            for (StoredPacket stored : store.livePackets()) {
                registry.put(stored.packet().id(), new LivePacket(stored));
            }
        }
        for (int set = 0; set < layout.sets(); set++) {
            int owner = set;
            List<ShardWorker> ofSet = new ArrayList<>();
            int count = sets.ownership().owns(set) ? config.workers() : 0;
            for (int i = 0; i < count; i++) {
                ShardWorker worker = new ShardWorker(workers.size(), config.queueBound(), config.maxBatch(), sets.set(set),
                        layout, () -> listeners.outboxWritten().accept(owner),
                        () -> listeners.reconcileQueued().accept(owner), clock, registry, metrics);
                workers.add(worker);
                ofSet.add(worker);
            }
            workersBySet.add(ofSet);
        }
        if (driving == Workers.OWN_THREADS) {
            workers.forEach(ShardWorker::start);
        }
    }

    /** A fresh packet id on a random shard of the sender's SET, so that the send and the refund stay in one database. */
    public long newPacketId(String senderId) {
        int set = layout.setOfUser(senderId);
        if (workersBySet.get(set).isEmpty()) {
            throw new NotOwnedHere(set);
        }
        return ids.next(layout.randomShardOf(set, shardRandom.get()));
    }

    public Optional<LivePacket> live(long packetId) {
        return Optional.ofNullable(registry.get(packetId));
    }

    /** Takes an active packet found in the store into memory, if a failure had dropped it. */
    public LivePacket adopt(StoredPacket stored) {
        return registry.computeIfAbsent(stored.packet().id(), id -> new LivePacket(stored));
    }

    /** Debits the sender and creates the packet; returns once both are durable. */
    public Packet send(Packet packet, Optional<PendingAnswer> answer) {
        CompletableFuture<Packet> reply = new CompletableFuture<>();
        submit(packet.id(), new Command.Send(packet, answer, reply));
        return join(reply);
    }

    /**
     * Queues an open of a share for the user; the answer completes once the claim is durable. Refusals are
     * {@link Rejection}s.
     */
    public CompletableFuture<OpenReceipt> openLater(LivePacket live, String userId) {
        boolean reserved = live.admit(userId, clock.instant());
        CompletableFuture<OpenReceipt> reply = new CompletableFuture<>();
        try {
            submit(live.id(), new Command.Open(live, userId, reserved, reply));
        } catch (Rejection busy) {
            live.settle(userId, reserved, false);
            throw busy;
        }
        return reply;
    }

    /**
     * Queues the refund of an expired packet's remainder (once) and its removal from memory. Many expiries queued
     * together are committed together.
     *
     * @return completes with true if this call refunded the packet
     */
    public CompletableFuture<Boolean> expire(long packetId) {
        CompletableFuture<Boolean> reply = new CompletableFuture<>();
        submit(packetId, new Command.Expire(packetId, reply));
        return reply;
    }

    /** Applies a payment event to the packet on its worker; returns once its effect is durable. */
    public PaymentStep.Outcome pay(long packetId, PaymentEvent event) {
        CompletableFuture<PaymentStep.Outcome> reply = new CompletableFuture<>();
        submit(packetId, new Command.Pay(packetId, event, reply));
        return join(reply);
    }

    /** Waits for a queued command's answer; with {@link Workers#CALLER_DRIVEN} workers, runs what is queued first. */
    public <T> T join(CompletableFuture<T> reply) {
        if (driving == Workers.CALLER_DRIVEN) {
            workers.forEach(ShardWorker::drainQueued);
        }
        return await(reply);
    }

    /** Waits for a queued command's answer, unwrapping its refusal or failure. */
    private static <T> T await(CompletableFuture<T> reply) {
        try {
            return reply.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Ids of packets in memory that are past their expiry, finished ones included. */
    public List<Long> expiredInMemory() {
        return registry.values().stream()
                .filter(live -> live.committed().isExpiredAt(clock.instant()))
                .map(LivePacket::id)
                .toList();
    }

    public boolean healthy() {
        return workers.stream().allMatch(ShardWorker::isAlive);
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    private void submit(long packetId, Command command) {
        int shard = PacketIds.shardOf(packetId);
        List<ShardWorker> ofSet = workersBySet.get(layout.setOfShard(shard));
        if (ofSet.isEmpty()) {
            throw new NotOwnedHere(layout.setOfShard(shard));
        }
        ShardWorker worker = ofSet.get((shard / layout.sets()) % ofSet.size());
        if (!worker.offer(command)) {
            throw new Rejection(ErrorCode.BUSY, "too many requests queued; retry shortly");
        }
    }

    /** Stops taking commands and answers every queued one before returning. */
    @Override
    public void close() {
        for (ShardWorker worker : workers) {
            try {
                worker.stopAndDrain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while draining", e);
            }
        }
    }
}
