package hongbao.domain;

/**
 * What a payment provider's verified notification says: the payment it is about, the amount paid in fen, whether
 * it succeeded, and the provider's own transaction id.
 */
public record PaymentNotice(String paymentId, long amount, boolean success, String providerTransactionId) {
}
