package hongbao.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One SET's side of the money crossing SETs: its outbound and inbound clearing balances by the other SET, and the
 * credits still waiting in its outbox by the wallet's SET.
 */
public record ClearingPosition(Map<Integer, Long> outbound, Map<Integer, Long> inbound, Map<Integer, Pending> pending) {

    public ClearingPosition {
        outbound = Map.copyOf(outbound);
        inbound = Map.copyOf(inbound);
        pending = Map.copyOf(pending);
    }

    public record Pending(long count, long amount, Instant oldest) {
    }

    public long outboundTo(int set) {
        return outbound.getOrDefault(set, 0L);
    }

    /** What this SET has received from the other, as a positive amount. */
    public long receivedFrom(int set) {
        return -inbound.getOrDefault(set, 0L);
    }

    public long pendingAmountTo(int set) {
        Pending p = pending.get(set);
        return p == null ? 0 : p.amount();
    }
}
