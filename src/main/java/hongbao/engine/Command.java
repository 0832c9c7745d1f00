package hongbao.engine;

import hongbao.domain.Packet;
import hongbao.domain.PaymentStep;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What a shard worker applies, in queue order. Each carries the future its caller waits on. */
sealed interface Command {
    CompletableFuture<?> reply();

    record Send(Packet packet, Optional<PendingAnswer> answer, CompletableFuture<Packet> reply) implements Command {
    }

    record Open(LivePacket live, String userId, boolean reserved, CompletableFuture<OpenReceipt> reply) implements Command {
    }

    /** A payment event (client confirm, provider notification, timeout) applied to the packet's current state. */
    record Pay(long packetId, PaymentEvent event, CompletableFuture<PaymentStep.Outcome> reply) implements Command {
    }

    /** Refunds the remainder of an expired packet, or drops a finished one from memory once it is past expiry. */
    record Expire(long packetId, CompletableFuture<Boolean> reply) implements Command {
    }
}
