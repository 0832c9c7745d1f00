package hongbao.store.payments;

/** Third-party payments inside one transaction: the reconciler's passes and refunds owed. */
public interface PaymentTx {
    void insertJob(ReconcileJob job);

    void deleteJob(ReconcileJob job);

    /** Records a payment owed back; a repeat of the same payment id is ignored. */
    void insertRefundDue(RefundDue refund);
}
