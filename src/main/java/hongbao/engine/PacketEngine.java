package hongbao.engine;

import hongbao.domain.ErrorCode;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PaymentStep;
import hongbao.domain.Rejection;
import hongbao.domain.SetLayout;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.StoredPacket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

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
    private final PacketIdGenerator ids;
    private final EngineMetrics metrics;

    public PacketEngine(StoreSets sets, Clock clock, EngineConfig config, EngineMetrics metrics, EngineListeners listeners) {
        this.config = config;
        this.layout = sets.layout();
        this.clock = clock;
        this.ids = new PacketIdGenerator(clock);
        this.metrics = metrics;
        if (layout.shards() != config.shards() || config.workers() > layout.shardCountOf(layout.sets() - 1)) {
            throw new IllegalArgumentException("each of " + layout.sets() + " SETs needs at least " + config.workers()
                    + " of the " + config.shards() + " shards");
        }
        for (Store store : sets.all()) {
            for (StoredPacket stored : store.livePackets()) {
                registry.put(stored.packet().id(), new LivePacket(stored));
            }
        }
        for (int set = 0; set < layout.sets(); set++) {
            int owner = set;
            for (int i = 0; i < config.workers(); i++) {
                workers.add(new ShardWorker(workers.size(), config.queueBound(), config.maxBatch(), sets.set(set), layout,
                        () -> listeners.outboxWritten().accept(owner), () -> listeners.reconcileQueued().accept(owner), clock,
                        registry, metrics));
            }
        }
        workers.forEach(ShardWorker::start);
    }

    /** A fresh packet id on a random shard of the sender's SET, so that the send and the refund stay in one database. */
    public long newPacketId(String senderId) {
        return ids.next(layout.randomShardOf(layout.setOfUser(senderId), ThreadLocalRandom.current()));
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
        return await(reply);
    }

    /** Opens a share for the user; returns once the claim is durable. Refusals are {@link Rejection}s. */
    public OpenReceipt open(LivePacket live, String userId) {
        boolean reserved = live.admit(userId, clock.instant());
        CompletableFuture<OpenReceipt> reply = new CompletableFuture<>();
        try {
            submit(live.id(), new Command.Open(live, userId, reserved, reply));
        } catch (Rejection busy) {
            live.settle(userId, reserved, false);
            throw busy;
        }
        return await(reply);
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
        return await(reply);
    }

    /** Waits for a queued command's answer, unwrapping its refusal or failure. */
    public static <T> T await(CompletableFuture<T> reply) {
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
        int set = layout.setOfShard(shard);
        ShardWorker worker = workers.get(set * config.workers() + (shard / layout.sets()) % config.workers());
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
