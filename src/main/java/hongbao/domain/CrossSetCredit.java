package hongbao.domain;

import java.time.Instant;

/**
 * A claim's credit still to be applied to a wallet in another SET: the outbox row written in the packet's SET in
 * the same transaction as the claim.
 */
public record CrossSetCredit(long packetId, int seq, String userId, long amount, int fromSet, int toSet,
        Instant claimedAt) {

    public static CrossSetCredit of(Claim claim, SetLayout layout) {
        return new CrossSetCredit(claim.packetId(), claim.seq(), claim.userId(), claim.amount(),
                layout.setOfPacket(claim.packetId()), layout.setOfUser(claim.userId()), claim.claimedAt());
    }

    public String transferId() {
        return Transfer.claimId(packetId, seq);
    }
}
