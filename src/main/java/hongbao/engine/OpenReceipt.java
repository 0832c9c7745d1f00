package hongbao.engine;

import hongbao.domain.Claim;
import hongbao.domain.Packet;
import java.util.List;

/** A durable open: the claim, and the packet with its claims as they stood right after it. */
public record OpenReceipt(Claim claim, Packet packet, List<Claim> claims) {
}
