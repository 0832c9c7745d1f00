package hongbao.store;

/**
 * The store's files are there but must not be served as they are (a journal lost, emptied or from another data
 * directory). The message is one line for the operator: the file, what is wrong with it, and where the recovery is
 * documented; commands print it as it is and exit 2.
 */
public final class StoreRefused extends StoreException {
    public StoreRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
