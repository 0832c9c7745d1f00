package hongbao.domain;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Who may see a packet and what each viewer sees. */
public final class PacketViews {
    private PacketViews() {
    }

    /**
     * The sender, a personal packet's receiver and a group packet's current members see it. Leaving a group hides its
     * packets but two kinds: those the leaver sent (WeChat keeps showing you what you sent, and the sent records link
     * to them) and those they opened (their received records link to them).
     */
    public static boolean mayView(Packet packet, String viewerId, boolean isGroupMember, boolean hasClaimed) {
        if (viewerId.equals(packet.senderId()) || hasClaimed) {
            return true;
        }
        return packet.kind() == PacketKind.PERSONAL ? viewerId.equals(packet.toUserId()) : isGroupMember;
    }

    /** Renders the packet for a viewer; callers check {@link #mayView} first. */
    public static PacketView render(Packet packet, List<Claim> claims, String viewerId, String senderName) {
        boolean isSender = viewerId.equals(packet.senderId());
        Optional<Claim> best = bestLuck(packet, claims);
        List<PacketView.ClaimView> claimViews = claims.stream()
                .sorted(Comparator.comparingInt(Claim::seq))
                .map(c -> new PacketView.ClaimView(c.userId(), c.amount(), c.claimedAt(),
                        best.map(b -> b.seq() == c.seq()).orElse(false)))
                .toList();
        PacketView.MyClaim mine = claims.stream()
                .filter(c -> c.userId().equals(viewerId))
                .findFirst()
                .map(c -> new PacketView.MyClaim(c.amount(), c.seq(), c.claimedAt(), c.credited(),
                        ClaimStatus.of(packet, c)))
                .orElse(null);
        Long finishSeconds = packet.finishedAt() == null ? null
                : Duration.between(packet.createdAt(), packet.finishedAt()).toSeconds();
        return new PacketView(Long.toString(packet.id()), packet.kind(), packet.senderId(), senderName, packet.groupId(),
                packet.toUserId(), packet.greeting(), packet.total(), packet.count(), packet.status(),
                packet.payStatus().code(), packet.openedCount(), packet.openedAmount(), packet.createdAt(),
                packet.expiresAt(), packet.finishedAt(), finishSeconds, isSender ? packet.refunded() : null, mine,
                claimViews);
    }

    /** 手气最佳: the largest share of a finished lucky packet, the earliest on ties; nothing before it finishes. */
    public static Optional<Claim> bestLuck(Packet packet, List<Claim> claims) {
        if (packet.kind() != PacketKind.GROUP_LUCKY || packet.status() != PacketStatus.FINISHED) {
            return Optional.empty();
        }
        return claims.stream().max(Comparator.comparingLong(Claim::amount).thenComparing(Claim::seq, Comparator.reverseOrder()));
    }
}
