package hongbao.store;


/** This node's lease on a SET was taken over: the database refused a write of the old owner. */
public final class Fenced extends StoreException {
    public Fenced(int set, long heldEpoch, long currentEpoch) {
        super("SET " + set + " was taken over (lease epoch " + currentEpoch + ", this node held " + heldEpoch
                + "); its writes here are refused", null);
    }
}
