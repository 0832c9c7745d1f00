package hongbao.domain;

import java.time.Instant;
import java.util.Optional;

/** gethbinfo's status of a bill (WeChat spells RFUND_ING so), from the bill and its packet. */
public enum RedpackStatus {
    /** Attempted, but its outcome was cut off (a crash, a store failure): a retry with the same mch_billno sends it. */
    SENDING,
    /** Sent; not every share opened yet, not expired. */
    SENT,
    /** The latest attempt failed (e.g. NOTENOUGH); the bill may be retried with the same mch_billno. */
    FAILED,
    /** Every share opened. */
    RECEIVED,
    /** Expired with shares unopened; the refund to the merchant's wallet is moments away. */
    RFUND_ING,
    /** Expired; the unopened remainder is back in the merchant's wallet. */
    REFUND;

    /** @param packet the packet of the bill's latest attempt, if it was committed */
    public static RedpackStatus of(RedpackBill bill, Optional<Packet> packet, Instant now) {
        if (packet.isEmpty()) {
            return bill.failure() == null ? SENDING : FAILED;
        }
        Packet sent = packet.get();
        return switch (sent.status()) {
            case FINISHED -> RECEIVED;
            case EXPIRED -> REFUND;
            case ACTIVE -> sent.isExpiredAt(now) ? RFUND_ING : SENT;
            // A merchant's packets are paid from its wallet and never wait for a provider; said for completeness.
            case UNPAID -> SENDING;
            case CANCELLED -> FAILED;
        };
    }
}
