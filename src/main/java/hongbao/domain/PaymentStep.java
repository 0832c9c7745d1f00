package hongbao.domain;

import java.util.Optional;

/**
 * What one payment event does to a packet: its new state (empty when unchanged), the money arriving from outside,
 * whether the claims waiting for that money are to be credited, a payment owed back, and the outcome to report.
 */
public record PaymentStep(Optional<Packet> after, Optional<Transfer> funding, boolean creditWaitingClaims,
        Optional<String> refundDueReason, Outcome outcome) {

    public enum Outcome {
        /** The sender's app confirmed: claims may be made, uncredited. */
        CLIENT_CONFIRMED,
        /** The money arrived: pay_status 1. */
        PAID,
        /** A repeat of something already applied; nothing changes. */
        DUPLICATE,
        /** The payment failed or timed out: the packet is cancelled, its claims void. */
        CANCELLED,
        /** Money arrived for a cancelled packet: it is owed back to the payer. */
        REFUND_DUE
    }

    public static PaymentStep unchanged(Outcome outcome) {
        return new PaymentStep(Optional.empty(), Optional.empty(), false, Optional.empty(), outcome);
    }
}
