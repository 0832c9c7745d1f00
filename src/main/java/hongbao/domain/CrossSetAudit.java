package hongbao.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The invariants between SETs. A cross-SET credit commits first in the wallet's SET (inbound to wallet), then in the
 * packet's SET (escrow to outbound, outbox row deleted). So for every pair, at any moment:
 * <pre>outbound(packet SET) &lt;= received(wallet SET) &lt;= outbound(packet SET) + pending(packet SET's outbox)</pre>
 * The left bound says no delivered credit was lost, the right one that no credit was made up or applied twice.
 * The SETs are not read in one snapshot, so each bound is judged from two readings taken in the order that keeps
 * it true while credits flow: a sender's position read before the receiver's for the left bound, after it for the
 * right. A credit waiting longer than the relay's window is a problem too.
 */
public final class CrossSetAudit {
    private CrossSetAudit() {
    }

    /**
     * @param first  every SET's position (index = SET), read one after another
     * @param second the same, read again after {@code first}
     */
    public static List<String> evaluate(List<ClearingPosition> first, List<ClearingPosition> second, Instant now,
            Duration window) {
        List<String> problems = new ArrayList<>();
        for (int from = 0; from < first.size(); from++) {
            for (int to = 0; to < first.size(); to++) {
                if (from == to) {
                    continue;
                }
                long sentBefore = first.get(from).outboundTo(to);
                long receivedAfter = second.get(to).receivedFrom(from);
                if (receivedAfter < sentBefore) {
                    problems.add("SET " + from + " sent " + sentBefore + " to SET " + to + ", which received only "
                            + receivedAfter);
                }
                long receivedBefore = first.get(to).receivedFrom(from);
                long coveredAfter = second.get(from).outboundTo(to) + second.get(from).pendingAmountTo(to);
                if (receivedBefore > coveredAfter) {
                    problems.add("SET " + to + " received " + receivedBefore + " from SET " + from
                            + ", which sent and owes only " + coveredAfter);
                }
                ClearingPosition.Pending waiting = second.get(from).pending().get(to);
                if (waiting != null && waiting.oldest().plus(window).isBefore(now)) {
                    problems.add(waiting.count() + " credits from SET " + from + " to SET " + to
                            + " waiting since " + waiting.oldest() + ", longer than " + window);
                }
            }
        }
        return problems;
    }

    /**
     * A bank reference moves money into or out of one wallet, once, in the whole deployment; within a SET the ledger's
     * unique transfer ids guarantee it, across SETs only this check does.
     *
     * @param transferIdsBySet the deposits' and withdrawals' transfer ids of each SET (index = SET)
     */
    public static List<String> bankMovesAppliedTwice(List<List<String>> transferIdsBySet) {
        Map<String, List<Integer>> setsByTransfer = new TreeMap<>();
        for (int set = 0; set < transferIdsBySet.size(); set++) {
            for (String transferId : transferIdsBySet.get(set)) {
                setsByTransfer.computeIfAbsent(transferId, id -> new ArrayList<>()).add(set);
            }
        }
        List<String> problems = new ArrayList<>();
        setsByTransfer.forEach((transferId, sets) -> {
            if (sets.size() > 1) {
                problems.add(transferId + " was applied " + sets.size() + " times, in SETs " + sets
                        + ": one bank reference moved money twice");
            }
        });
        return problems;
    }
}
