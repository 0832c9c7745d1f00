package hongbao.store.packets;

import hongbao.domain.Claim;
import hongbao.domain.Packet;
import java.util.List;

/** A packet with its claims in opening order. */
public record StoredPacket(Packet packet, List<Claim> claims) {
    public StoredPacket {
        claims = List.copyOf(claims);
    }
}
