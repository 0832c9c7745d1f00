package hongbao.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** The rules of a packet's life: what may be sent, who may open, what an open or an expiry does. */
public final class PacketRules {
    private PacketRules() {
    }

    /** Checks an order against the limits and returns its shares. Throws a {@link Rejection} naming the broken rule. */
    public static long[] validateAndSplit(PacketOrder order, Limits limits, RandomGenerator random) {
        checkShape(order);
        if (order.count() < 1 || order.total() < 1) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "total and count must be positive integers (fen)");
        }
        if (order.count() > limits.maxCount()) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "count must be at most " + limits.maxCount());
        }
        if (order.total() > limits.maxTotal(order.count())) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED,
                    "total must be at most count x " + limits.maxShare() + " fen (max share)");
        }
        if (order.total() < limits.minShare() * order.count()) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "each share must be at least " + limits.minShare() + " fen");
        }
        if (order.greeting() != null && order.greeting().codePointCount(0, order.greeting().length()) > limits.maxGreeting()) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "greeting must be at most " + limits.maxGreeting() + " characters");
        }
        return switch (order.kind()) {
            case PERSONAL, GROUP_EQUAL -> Splits.equal(order.total(), order.count());
            case GROUP_LUCKY -> Splits.lucky(order.total(), order.count(), limits.minShare(), limits.maxShare(),
                    order.distinct(), random);
        };
    }

    private static void checkShape(PacketOrder order) {
        if (order.kind() == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "kind is required");
        }
        if (order.kind() == PacketKind.PERSONAL) {
            if (order.toUserId() == null || order.groupId() != null) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "PERSONAL needs toUserId and no groupId");
            }
            if (order.count() != 1) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "PERSONAL packets have count 1");
            }
            if (order.toUserId().equals(order.senderId())) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "toUserId must differ from the sender");
            }
        } else if (order.groupId() == null || order.toUserId() != null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, order.kind() + " needs groupId and no toUserId");
        }
        if (order.distinct() && order.kind() != PacketKind.GROUP_LUCKY) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "distinct applies to GROUP_LUCKY only");
        }
    }

    /**
     * A group packet has at most one share per member of its group (the sender counts: they may open their own group
     * packet), lucky and equal alike, as WeChat has it: more shares than members would sit in escrow until expiry,
     * since nobody can take two. Merchants' fission packets are exempt: their group grows as the receiver shares it.
     */
    public static void checkCountFitsGroup(PacketOrder order, int groupMembers) {
        if (order.kind() != PacketKind.PERSONAL && order.count() > groupMembers) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "count must be at most the group's " + groupMembers
                    + " members (one share each)");
        }
    }

    /** A new packet paid from the sender's balance: active at once. */
    public static Packet create(long id, PacketOrder order, long[] shares, Instant now, Duration ttl) {
        List<Long> shareList = Arrays.stream(shares).boxed().toList();
        return new Packet(id, order.kind(), order.senderId(), order.groupId(), order.toUserId(),
                order.greeting() == null ? "" : order.greeting(), order.total(), order.count(), shareList,
                PacketStatus.ACTIVE, PayStatus.SERVER_CONFIRMED, now, now.plus(ttl), null, 0, 0, 0);
    }

    /** Who may open: a personal packet's receiver only; a group packet's members, the sender included. */
    public static void checkMayOpen(Packet packet, String userId, boolean isGroupMember) {
        if (packet.kind() == PacketKind.PERSONAL) {
            if (userId.equals(packet.senderId())) {
                throw new Rejection(ErrorCode.FORBIDDEN, "the sender cannot open their own personal packet");
            }
            if (!userId.equals(packet.toUserId())) {
                throw new Rejection(ErrorCode.FORBIDDEN, "this personal packet is for someone else");
            }
        } else if (!isGroupMember) {
            throw new Rejection(ErrorCode.FORBIDDEN, "only members of the group can open this packet");
        }
    }

    /** Why this user cannot open the packet now, if they cannot. Business outcomes, not misuse. */
    public static Optional<ErrorCode> refusal(Packet packet, boolean alreadyClaimed, Instant now) {
        if (alreadyClaimed) {
            return Optional.of(ErrorCode.ALREADY_CLAIMED);
        }
        return switch (packet.status()) {
            case UNPAID, CANCELLED -> Optional.of(ErrorCode.NOT_PAYABLE);
            case EXPIRED -> Optional.of(ErrorCode.EXPIRED);
            case FINISHED -> Optional.of(ErrorCode.SNATCHED_OUT);
            case ACTIVE -> packet.isExpiredAt(now) ? Optional.of(ErrorCode.EXPIRED)
                    : packet.openedCount() >= packet.count() ? Optional.of(ErrorCode.SNATCHED_OUT) : Optional.empty();
        };
    }

    /** The words a user sees for a refusal. */
    public static String refusalMessage(ErrorCode code) {
        return switch (code) {
            case SNATCHED_OUT -> "snatched out: every share has been taken (手慢了)";
            case ALREADY_CLAIMED -> "you have already opened this packet";
            case EXPIRED -> "this packet has expired";
            case NOT_PAYABLE -> "this packet cannot be opened: it is not paid";
            default -> code.name();
        };
    }

    public sealed interface OpenResult permits Opened, Refused {
    }

    public record Opened(Packet after, Claim claim) implements OpenResult {
    }

    public record Refused(ErrorCode reason) implements OpenResult {
    }

    /**
     * Gives the next pre-computed share to the user, or says why not. The claim is credited at once when the packet
     * is paid and the receiver's wallet is in the packet's SET; otherwise {@link Crediting} says when.
     */
    public static OpenResult open(Packet packet, String userId, boolean alreadyClaimed, Instant now, SetLayout layout) {
        Optional<ErrorCode> refused = refusal(packet, alreadyClaimed, now);
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        int seq = packet.openedCount() + 1;
        long amount = packet.shares().get(seq - 1);
        boolean last = seq == packet.count();
        Packet after = packet.withProgress(last ? PacketStatus.FINISHED : PacketStatus.ACTIVE, last ? now : null,
                seq, packet.openedAmount() + amount, packet.refunded());
        boolean credited = packet.payStatus() == PayStatus.SERVER_CONFIRMED && layout.sameSet(packet.id(), userId);
        return new Opened(after, new Claim(packet.id(), seq, userId, amount, now, credited));
    }

    public record Expiry(Packet after, long refund) {
    }

    /**
     * An active, paid packet past its expiry gives back exactly what is left, once. One whose money never arrived has
     * nothing to give back; the payment timeout cancels it.
     */
    public static Optional<Expiry> expire(Packet packet, Instant now) {
        if (packet.status() != PacketStatus.ACTIVE || packet.payStatus() != PayStatus.SERVER_CONFIRMED
                || !packet.isExpiredAt(now)) {
            return Optional.empty();
        }
        long refund = packet.remaining();
        Packet after = packet.withProgress(PacketStatus.EXPIRED, packet.finishedAt(), packet.openedCount(),
                packet.openedAmount(), packet.refunded() + refund);
        return Optional.of(new Expiry(after, refund));
    }
}
