package hongbao.store.payments;

import java.time.Instant;
import java.util.List;

/** Third-party payments: packets waiting for their money, the reconciler's passes, refunds owed. */
public interface PaymentReads {
    /** Reconciler passes due by now, earliest first. */
    List<ReconcileJob> dueJobs(Instant now, int limit);

    /** Packets still waiting for their provider's money that were created at or before the cutoff. */
    List<Long> awaitingPaymentSince(Instant cutoff, int limit);

    /** How many packets still wait for their provider's money (a count over the packets table: poll it, not per scrape). */
    long countAwaitingPayment();

    /** How many payments are owed back to payers. */
    long countRefundsDue();

    /** Payments owed back to payers, newest first. */
    List<RefundDue> refundsDue(int limit);
}
