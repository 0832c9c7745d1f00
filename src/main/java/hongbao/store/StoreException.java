package hongbao.store;

/**
 * The store could not do what was asked; nothing of the failed transaction was kept, except after a
 * {@link CommitOutcomeUnknown}, which cannot tell.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
