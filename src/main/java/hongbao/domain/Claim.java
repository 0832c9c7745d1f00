package hongbao.domain;

import java.time.Instant;

/**
 * One opened share (the seed's red_packet_log row). seq is 1-based in opening order. {@code credited}: the money is
 * in the receiver's wallet.
 */
public record Claim(long packetId, int seq, String userId, long amount, Instant claimedAt, boolean credited) {
}
