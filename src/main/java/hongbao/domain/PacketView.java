package hongbao.domain;

import java.time.Instant;
import java.util.List;

/**
 * A packet as one viewer may see it (API.md "Packet view"). {@code refunded} is null for everyone but the
 * sender; {@code myClaim} is the viewer's own share, if any.
 */
public record PacketView(
        String id,
        PacketKind kind,
        String senderId,
        String groupId,
        String toUserId,
        String greeting,
        long total,
        int count,
        PacketStatus status,
        int payStatus,
        int openedCount,
        long openedAmount,
        Instant createdAt,
        Instant expiresAt,
        Instant finishedAt,
        Long finishSeconds,
        Long refunded,
        MyClaim myClaim,
        List<ClaimView> claims) {

    public record MyClaim(long amount, int seq, Instant at, boolean credited) {
    }

    public record ClaimView(String userId, long amount, Instant at, boolean best) {
    }
}
