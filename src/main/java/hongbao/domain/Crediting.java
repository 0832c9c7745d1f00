package hongbao.domain;

/**
 * Where a claim's money goes once the packet is paid: straight from escrow into the receiver's wallet when both
 * live in one SET, or through the credit outbox when the wallet is in another SET. Nowhere while it is unpaid.
 */
public sealed interface Crediting {

    /** Escrow to wallet, in the claim's own transaction. */
    record Now(Transfer transfer) implements Crediting {
    }

    /** An outbox row beside the uncredited claim; the relay credits the other SET's wallet. */
    record ViaOutbox(CrossSetCredit credit) implements Crediting {
    }

    /** The packet's money has not arrived: the claim waits, uncredited. */
    record Later() implements Crediting {
    }

    static Crediting of(Packet packet, Claim claim, SetLayout layout) {
        if (packet.payStatus() != PayStatus.SERVER_CONFIRMED) {
            return new Later();
        }
        if (layout.sameSet(packet.id(), claim.userId())) {
            return new Now(Transfer.claim(packet, claim));
        }
        return new ViaOutbox(CrossSetCredit.of(claim, layout));
    }
}
