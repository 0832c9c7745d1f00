package hongbao.app;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last refunds the expiry job made in this process, newest first, for the operator page. Kept in memory
 * only: the durable record of a refund is its transfer {@code refund:<packetId>} in the ledger.
 */
public final class RecentRefunds {
    /** One refund: the remainder of an expired packet returned to its sender. */
    public record Refund(String packetId, String senderId, String groupId, long amount, Instant at) {
    }

    private final int capacity;
    private final Deque<Refund> newestFirst = new ArrayDeque<>();

    public RecentRefunds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    synchronized void add(Refund refund) {
        newestFirst.addFirst(refund);
        if (newestFirst.size() > capacity) {
            newestFirst.removeLast();
        }
    }

    public synchronized List<Refund> newestFirst() {
        return new ArrayList<>(newestFirst);
    }
}
