package hongbao.app;

import hongbao.domain.ErrorCode;
import hongbao.domain.Limits;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketRules;
import hongbao.domain.PacketView;
import hongbao.domain.PacketViews;
import hongbao.domain.PayMethod;
import hongbao.domain.Payments;
import hongbao.domain.Rejection;
import hongbao.engine.LivePacket;
import hongbao.engine.OpenReceipt;
import hongbao.engine.PacketEngine;
import hongbao.engine.PendingAnswer;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/** Sending, grabbing, opening and viewing packets, with the checks of who may do what. */
public final class PacketService {
    private final StoreSets sets;
    private final PacketEngine engine;
    private final Directory directory;
    private final Clock clock;
    private final Limits limits;
    private final Duration packetTtl;
    private final RandomGenerator random;
    private final DisplayNames names;

    public PacketService(StoreSets sets, PacketEngine engine, Directory directory, Clock clock, Limits limits,
            Duration packetTtl) {
        this(sets, engine, directory, clock, limits, packetTtl, new SecureRandom());
    }

    /** @param random splits packets into shares; a simulation passes a seeded one */
    public PacketService(StoreSets sets, PacketEngine engine, Directory directory, Clock clock, Limits limits,
            Duration packetTtl, RandomGenerator random) {
        this.random = random;
        this.sets = sets;
        this.engine = engine;
        this.directory = directory;
        this.clock = clock;
        this.limits = limits;
        this.packetTtl = packetTtl;
        this.names = new DisplayNames(sets, directory);
    }

    public Packet send(PacketOrder order, Optional<PendingAnswer> answer) {
        Packet packet = prepare(order, limits, true);
        return engine.send(order.payMethod() == PayMethod.THIRD_PARTY ? Payments.awaitingPayment(packet) : packet, answer);
    }

    /**
     * A merchant's packet (paid from its wallet user's balance), checked against the merchant API's limits and given
     * its id, but not sent: the merchant API records the id in its bill first, then {@link #sendPrepared} sends it.
     * The wallet user sends to a group without being a member of it; the caller makes the group.
     */
    public Packet prepareMerchantPacket(PacketOrder order, Limits merchantLimits) {
        if (order.payMethod() != PayMethod.BALANCE) {
            throw new IllegalArgumentException("merchant packets are paid from the merchant's wallet");
        }
        return prepare(order, merchantLimits, false);
    }

    /** Debits the sender and creates a prepared packet; returns once both are durable. */
    public Packet sendPrepared(Packet packet, Optional<PendingAnswer> answer) {
        return engine.send(packet, answer);
    }

    private Packet prepare(PacketOrder order, Limits orderLimits, boolean senderMustBeMember) {
        long[] shares;
        synchronized (random) {
            shares = PacketRules.validateAndSplit(order, orderLimits, random);
        }
        if (order.kind() == PacketKind.PERSONAL) {
            Ids.requireId("toUserId", order.toUserId());
            if (!directory.userExists(order.toUserId())) {
                throw new Rejection(ErrorCode.NOT_FOUND, "no user " + order.toUserId());
            }
        } else if (senderMustBeMember) {
            requireMember(order.groupId(), order.senderId());
            PacketRules.checkCountFitsGroup(order, directory.memberCount(order.groupId()));
        }
        return PacketRules.create(engine.newPacketId(order.senderId()), order, shares, clock.instant(), packetTtl);
    }

    /**
     * The group a user may share this packet in: the packet's group, if the user owns it (a fission packet's first
     * receiver owns the group made for it). Anyone else is refused: 404 if they may not even see the packet.
     */
    public String groupToShareIn(String userId, long packetId) {
        StoredPacket stored = stored(packetId);
        Packet packet = stored.packet();
        if (!PacketViews.mayView(packet, userId, isMember(packet, userId), claimedBy(stored, userId))) {
            throw notFound();
        }
        if (packet.groupId() == null || !directory.groupOwner(packet.groupId()).filter(userId::equals).isPresent()) {
            throw new Rejection(ErrorCode.FORBIDDEN, "only the first receiver of a fission packet may share it");
        }
        return packet.groupId();
    }

    /** Answers from memory whether opening now could give the user anything. */
    public Optional<ErrorCode> grab(String userId, long packetId) {
        Optional<ErrorCode> reason = grabRefusal(userId, packetId);
        engine.metrics().grab(reason.map(r -> r.name().toLowerCase()).orElse("available"));
        return reason;
    }

    private Optional<ErrorCode> grabRefusal(String userId, long packetId) {
        Optional<LivePacket> live = engine.live(packetId);
        if (live.isPresent()) {
            checkMayOpen(live.get().committed(), userId);
            return live.get().grab(userId, clock.instant());
        }
        StoredPacket stored = stored(packetId);
        checkMayOpen(stored.packet(), userId);
        return PacketRules.refusal(stored.packet(), claimedBy(stored, userId), clock.instant());
    }

    /** Opens a share; every answer, refusals included, is counted by outcome (GET /metrics, the operator page). */
    public OpenReceipt open(String userId, long packetId) {
        long startedNanos = System.nanoTime();
        try {
            OpenReceipt receipt = engine.join(openLater(userId, packetId));
            engine.metrics().open(Optional.empty(), clock.instant(), Duration.ofNanos(System.nanoTime() - startedNanos));
            return receipt;
        } catch (Rejection refused) {
            engine.metrics().open(Optional.of(refused.code()), clock.instant(),
                    Duration.ofNanos(System.nanoTime() - startedNanos));
            throw refused;
        }
    }

    /**
     * Checks the open and queues it; the answer completes once the claim is durable. Lets a simulation keep many opens
     * in flight on one thread, as many request threads would.
     */
    public CompletableFuture<OpenReceipt> openLater(String userId, long packetId) {
        Optional<LivePacket> live = engine.live(packetId);
        if (live.isPresent()) {
            checkMayOpen(live.get().committed(), userId);
            return engine.openLater(live.get(), userId);
        }
        StoredPacket stored = stored(packetId);
        checkMayOpen(stored.packet(), userId);
        Optional<ErrorCode> refused = PacketRules.refusal(stored.packet(), claimedBy(stored, userId), clock.instant());
        if (refused.isPresent()) {
            throw new Rejection(refused.get(), PacketRules.refusalMessage(refused.get()));
        }
        return engine.openLater(engine.adopt(stored), userId);
    }

    public PacketView view(String userId, long packetId) {
        StoredPacket stored = stored(packetId);
        Packet packet = stored.packet();
        if (!PacketViews.mayView(packet, userId, isMember(packet, userId), claimedBy(stored, userId))) {
            throw notFound();
        }
        return PacketViews.render(packet, stored.claims(), userId, names.sender(packet));
    }

    /** The sender as users read it: a user's name, a merchant packet's send_name. */
    public String senderName(Packet packet) {
        return names.sender(packet);
    }

    public List<PacketView> groupPackets(String userId, String groupId, Long before, int limit) {
        requireMember(groupId, userId);
        return render(sets.groupPackets(groupId, before, limit), userId);
    }

    /** The personal packets addressed to the user (红包 for you), merchants' included, newest first. */
    public List<PacketView> inbox(String userId, Long before, int limit) {
        return render(sets.packetsTo(userId, before, limit), userId);
    }

    private List<PacketView> render(List<StoredPacket> page, String viewerId) {
        Map<Long, String> senders = names.senders(page.stream().map(StoredPacket::packet).toList());
        return page.stream()
                .map(s -> PacketViews.render(s.packet(), s.claims(), viewerId, senders.get(s.packet().id())))
                .toList();
    }

    /**
     * The 1:1 chat: the personal packets between the user and another, sent either way, newest first. Only those two
     * take part in such a packet, so the caller sees nothing of anyone else's.
     */
    public List<PacketView> chatPackets(String userId, String otherId, Long before, int limit) {
        Ids.requireId("userId", otherId);
        if (otherId.equals(userId)) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "a chat is with another user, not with yourself");
        }
        if (!directory.userExists(otherId)) {
            throw new Rejection(ErrorCode.NOT_FOUND, "no user " + otherId);
        }
        return render(sets.packetsBetween(userId, otherId, before, limit), userId);
    }

    private void requireMember(String groupId, String userId) {
        Ids.requireId("groupId", groupId);
        if (!directory.groupExists(groupId)) {
            throw new Rejection(ErrorCode.NOT_FOUND, "no group " + groupId);
        }
        if (!directory.isMember(groupId, userId)) {
            throw new Rejection(ErrorCode.FORBIDDEN, "you are not a member of group " + groupId);
        }
    }

    private void checkMayOpen(Packet packet, String userId) {
        PacketRules.checkMayOpen(packet, userId, isMember(packet, userId));
    }

    private boolean isMember(Packet packet, String userId) {
        return packet.groupId() != null && directory.isMember(packet.groupId(), userId);
    }

    private StoredPacket stored(long packetId) {
        return sets.ownedForPacket(packetId).packet(packetId).orElseThrow(PacketService::notFound);
    }

    private static boolean claimedBy(StoredPacket stored, String userId) {
        return stored.claims().stream().anyMatch(c -> c.userId().equals(userId));
    }

    private static Rejection notFound() {
        return new Rejection(ErrorCode.NOT_FOUND, "no such packet");
    }
}
