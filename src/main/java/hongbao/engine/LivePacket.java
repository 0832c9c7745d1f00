package hongbao.engine;

import hongbao.domain.Claim;
import hongbao.domain.ErrorCode;
import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.Rejection;
import hongbao.domain.SetLayout;
import hongbao.store.packets.StoredPacket;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A packet held in memory by the worker that owns its shard.
 *
 * <p>Two faces: the <em>committed</em> state (packet, who has claimed, how many shares are promised) is read by
 * any request thread to answer grabs and shed load; the <em>working</em> state is touched only by the owning
 * worker and runs ahead of the database until the batch commits, when it is published.
 */
public final class LivePacket {
    private volatile Packet committed;
    private final Set<String> claimedUsers = ConcurrentHashMap.newKeySet();
    /** Committed opens plus reservations held by queued opens; admission never promises more than count. */
    private final AtomicInteger promised = new AtomicInteger();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private Packet working;
    private final Map<String, Claim> workingClaimsByUser = new HashMap<>();
    /**
     * Set once a failed commit left the working state ahead of the database and it could not be reloaded: opens
     * queued with this object must not build on that state (they would hand out a share whose open was never durable,
     * or the same share twice); the registry gets a fresh copy from the database instead.
     */
    private volatile boolean retired;

    LivePacket(StoredPacket stored) {
        load(stored);
        promised.set(stored.packet().openedCount());
    }

    public Packet committed() {
        return committed;
    }

    public long id() {
        return committed.id();
    }

    /** Why the user would get nothing if they opened now, judged from committed state. */
    public Optional<ErrorCode> grab(String userId, Instant now) {
        Packet packet = committed;
        Optional<ErrorCode> refused = PacketRules.refusal(packet, claimedUsers.contains(userId), now);
        if (refused.isPresent()) {
            return refused;
        }
        return promised.get() >= packet.count() ? Optional.of(ErrorCode.SNATCHED_OUT) : Optional.empty();
    }

    /**
     * Lets an open into the queue, reserving a share for it, or refuses it here. A second open by a user whose
     * first is still queued rides along unreserved and learns its answer in order.
     *
     * @return true if a share was reserved
     */
    boolean admit(String userId, Instant now) {
        Optional<ErrorCode> refused = PacketRules.refusal(committed, claimedUsers.contains(userId), now);
        if (refused.isPresent()) {
            throw new Rejection(refused.get(), PacketRules.refusalMessage(refused.get()));
        }
        if (!inFlight.add(userId)) {
            return false;
        }
        while (true) {
            int taken = promised.get();
            if (taken >= committed.count()) {
                inFlight.remove(userId);
                throw new Rejection(ErrorCode.SNATCHED_OUT, PacketRules.refusalMessage(ErrorCode.SNATCHED_OUT));
            }
            if (promised.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    // ---- worker side ----

    Packet working() {
        return working;
    }

    PacketRules.OpenResult applyOpen(String userId, Instant now, SetLayout layout) {
        PacketRules.OpenResult result = PacketRules.open(working, userId, workingClaimsByUser.containsKey(userId), now, layout);
        if (result instanceof PacketRules.Opened opened) {
            working = opened.after();
            workingClaimsByUser.put(userId, opened.claim());
        }
        return result;
    }

    /** An expiry or a payment event changed the packet itself. */
    void applyChange(Packet after) {
        working = after;
    }

    /** After a commit: the open is durable, so the world may see it. */
    void publishOpen(String userId, boolean reserved) {
        claimedUsers.add(userId);
        committed = working;
        if (!reserved) {
            promised.incrementAndGet();
        }
    }

    /** After a commit or a failure: the user's open is answered. */
    void settle(String userId, boolean reserved, boolean opened) {
        if (reserved) {
            if (!opened) {
                promised.decrementAndGet();
            }
            inFlight.remove(userId);
        }
    }

    void publish() {
        committed = working;
    }

    /** See {@link #retired}: from now on every open queued here is refused, nothing applied. */
    void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }

    /** After a failed commit: forget the working state and start again from what the database holds. */
    void reload(StoredPacket stored) {
        load(stored);
    }

    private void load(StoredPacket stored) {
        working = stored.packet();
        committed = stored.packet();
        workingClaimsByUser.clear();
        for (Claim claim : stored.claims()) {
            workingClaimsByUser.put(claim.userId(), claim);
            claimedUsers.add(claim.userId());
        }
    }
}
