package hongbao.engine;

import hongbao.domain.Packet;
import hongbao.store.records.IdempotencySlot;
import hongbao.store.records.StoredAnswer;
import java.util.function.Function;

/** An idempotent send's answer, rendered and stored in the same transaction that creates the packet. */
public record PendingAnswer(IdempotencySlot slot, Function<Packet, StoredAnswer> render) {
}
