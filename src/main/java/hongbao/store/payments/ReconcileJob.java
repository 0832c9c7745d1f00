package hongbao.store.payments;

import java.time.Instant;

/** A queued pass of the reconciler over a paid packet's claims; pass 1 re-queues pass 2. */
public record ReconcileJob(long packetId, int pass, Instant due) {
}
