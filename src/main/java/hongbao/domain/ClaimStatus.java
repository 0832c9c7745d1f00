package hongbao.domain;

/**
 * Where a claim's money is, as a receiver sees it: in the wallet, on its way (the packet's third-party payment has not
 * arrived yet, or a credit to a wallet in another SET is in flight), or never coming (the payment did not arrive in
 * time and the packet was cancelled, which voids its claims).
 */
public enum ClaimStatus {
    CREDITED,
    PENDING,
    CANCELLED;

    public static ClaimStatus of(Packet packet, Claim claim) {
        if (claim.credited()) {
            return CREDITED;
        }
        return packet.status() == PacketStatus.CANCELLED ? CANCELLED : PENDING;
    }
}
