package hongbao.cluster;

import java.time.Duration;
import java.util.Set;

/**
 * Which SETs this node owns, and how it takes them.
 *
 * @param owned    SET indexes; null means every SET (a single node)
 * @param node     this node's URL as other nodes and proxies reach it; it is written into each lease it holds, so
 *                 that a node asked about a SET it does not own knows where to send the request
 * @param leaseTtl how long a lease lasts unless renewed (renewed every third of it)
 * @param takeOver take each SET at once, fencing its holder, rather than wait for the holder's lease to expire
 * @param forwardTimeout how long a request passed on to another SET's owner waits for its answer; past it the answer
 *                       is 504 OUTCOME_UNKNOWN (the owner may still apply it)
 */
public record Ownership(Set<Integer> owned, String node, Duration leaseTtl, boolean takeOver, Duration forwardTimeout) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    /** Below nginx's default proxy_read_timeout (60 s), so that nginx gets the node's answer rather than its own 504. */
    public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(30);

    public Ownership {
        if (leaseTtl.isNegative() || leaseTtl.isZero()) {
            throw new IllegalArgumentException("the lease must last a positive time");
        }
        if (forwardTimeout.isNegative() || forwardTimeout.isZero()) {
            throw new IllegalArgumentException("the forwarding timeout must be a positive time");
        }
        owned = owned == null ? null : Set.copyOf(owned);
    }

    public Ownership(Set<Integer> owned, String node, Duration leaseTtl, boolean takeOver) {
        this(owned, node, leaseTtl, takeOver, DEFAULT_FORWARD_TIMEOUT);
    }

    /**
     * One process serving every SET. It takes the SETs at once: it is the only node, so a holder can only be an
     * earlier process of it (killed, or paused), which the fence then refuses.
     */
    public static Ownership single() {
        return new Ownership(null, "single-node:" + ProcessHandle.current().pid(), DEFAULT_LEASE, true);
    }

    /**
     * Owns nothing: reads every SET as it is derived, takes no lease, so a running node keeps its SETs (the
     * {@code audit} command beside a running service).
     */
    public static Ownership none() {
        return new Ownership(Set.of(), "visitor:" + ProcessHandle.current().pid(), DEFAULT_LEASE, false);
    }

    public boolean owns(int set) {
        return owned == null || owned.contains(set);
    }

    public boolean cluster() {
        return owned != null;
    }
}
