package hongbao.domain;

import java.time.Instant;
import java.util.List;

/**
 * A packet as one viewer may see it (API.md "Packet view"). {@code refunded} is null for everyone but the
 * sender; {@code myClaim} is the viewer's own share, if any. {@code senderName} is what a user reads as the sender: a
 * user's name, or for a merchant's packet its bill's send_name (never the merchant's wallet id).
 */
public record PacketView(
        String id,
        PacketKind kind,
        String senderId,
        String senderName,
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

    public record MyClaim(long amount, int seq, Instant at, boolean credited, ClaimStatus status) {
    }

    public record ClaimView(String userId, long amount, Instant at, boolean best) {
    }
}
