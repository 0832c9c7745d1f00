package hongbao.domain;

/**
 * A bank's reference for money moving in (a deposit) or out (a withdrawal), taken by one movement. The ledger's
 * transfer id ({@code deposit:<reference>}, {@code withdrawal:<reference>}) is unique only in the database of the
 * wallet it moves; this record, kept in the SET the reference itself hashes to ({@link SetLayout#setOfReference}),
 * makes a reference mean one movement across the whole deployment.
 */
public record BankReference(TransferKind kind, String reference, String userId, long amount) {
    public BankReference {
        if (kind != TransferKind.DEPOSIT && kind != TransferKind.WITHDRAWAL) {
            throw new IllegalArgumentException("only deposits and withdrawals carry a bank reference, not " + kind);
        }
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amount);
        }
    }

    /** The same movement asked for again (a retry), as opposed to another movement under a used reference. */
    public boolean sameMovementAs(BankReference other) {
        return equals(other);
    }

    /** The ledger's movement this reference stands for. */
    public Transfer transfer(java.time.Instant at) {
        return switch (kind) {
            case DEPOSIT -> Transfer.deposit(reference, userId, amount, at);
            case WITHDRAWAL -> Transfer.withdrawal(reference, userId, amount, at);
            default -> throw new IllegalStateException("no bank movement of kind " + kind);
        };
    }
}
