package hongbao.engine;

import hongbao.domain.Claim;
import hongbao.domain.Packet;

/**
 * A durable open: the claim, and the packet as it stood right after it. Not the packet's other claims: copying them
 * for every open cost O(claims) per open (quadratic on a hot packet) and the open's answer no longer shows them.
 */
public record OpenReceipt(Claim claim, Packet packet) {
}
