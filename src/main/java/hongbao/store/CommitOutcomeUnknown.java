package hongbao.store;

/**
 * The COMMIT was sent but its answer was lost with the connection: the database may have committed the transaction or
 * not, so the caller must not say "nothing applied". Only a database over a network loses an answer this way
 * (PostgreSQL); SQLite's COMMIT either commits or fails.
 */
public final class CommitOutcomeUnknown extends StoreException {
    public CommitOutcomeUnknown(Throwable cause) {
        super("the answer to COMMIT was lost with the connection: the transaction may have been committed", cause);
    }
}
