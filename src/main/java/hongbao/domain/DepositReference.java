package hongbao.domain;

/**
 * A bank reference taken by one deposit. The ledger's transfer id {@code deposit:<reference>} is unique only in the
 * database of the wallet it credits; this record, kept in the SET the reference itself hashes to
 * ({@link SetLayout#setOfReference}), makes a reference mean one deposit across the whole deployment.
 */
public record DepositReference(String reference, String userId, long amount) {
    public DepositReference {
        if (amount <= 0) {
            throw new IllegalArgumentException("deposit amount must be positive: " + amount);
        }
    }

    /** The same deposit asked for again (a retry), as opposed to another deposit under a used reference. */
    public boolean sameDepositAs(DepositReference other) {
        return equals(other);
    }
}
