package hongbao.store.payments;

import java.time.Instant;

/** A payment the provider reported after its packet was cancelled: to be paid back to the payer by an operator. */
public record RefundDue(String paymentId, long packetId, long amount, String reason, Instant at) {
}
