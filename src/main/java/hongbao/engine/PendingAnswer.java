package hongbao.engine;

import hongbao.domain.Packet;
import hongbao.store.IdempotencySlot;
import hongbao.store.StoredAnswer;
import java.util.function.Function;

/** An idempotent send's answer, rendered and stored in the same transaction that creates the packet. */
public record PendingAnswer(IdempotencySlot slot, Function<Packet, StoredAnswer> render) {
}
