package hongbao.store;

/**
 * The work needs the owner of a SET this node does not own: its packets' engine, its journal, or reads that must see
 * every acknowledged open. Thrown before anything is written, so the request can be sent to the owner as it is.
 */
public final class NotOwnedHere extends RuntimeException {
    private final int set;

    public NotOwnedHere(int set) {
        super("SET " + set + " is owned by another node");
        this.set = set;
    }

    public int set() {
        return set;
    }
}
