package hongbao.store.records;

import hongbao.store.packets.StoredPacket;

import hongbao.domain.Claim;

/** A user's claim with its packet and all that packet's claims, so that its best luck can be told. */
public record ReceivedClaim(Claim claim, StoredPacket packet) {
}
