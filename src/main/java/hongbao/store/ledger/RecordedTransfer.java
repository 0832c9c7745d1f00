package hongbao.store.ledger;

/** A transfer as the ledger recorded it: enough to tell a true repeat of a cause from a conflicting one. */
public record RecordedTransfer(String from, String to, long amount) {
    public boolean sameMovementAs(hongbao.domain.Transfer transfer) {
        return from.equals(transfer.from()) && to.equals(transfer.to()) && amount == transfer.amount();
    }
}
