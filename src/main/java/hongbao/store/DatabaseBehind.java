package hongbao.store;

/**
 * A SET's database holds less than this node saw it commit: its journal's newest entry, or its derivation mark, is
 * behind what was acknowledged. It went back in time (a failover to an asynchronous replica, a restored backup), and
 * building on it would hand out again shares already handed out. The SET is refused from then on; nothing of the
 * refused request was applied.
 */
public final class DatabaseBehind extends StoreException {
    public DatabaseBehind(String what, long found, long acknowledged) {
        super("its database went back in time: " + what + " is at " + found + ", but this node saw it committed through "
                + acknowledged + " (a failover to a replica that lacked acknowledged commits, or a restored backup); "
                + "the SET is refused until an operator restores what was lost (docs/cluster.md, \"When a SET's "
                + "database dies\")", null);
    }

    /** The same refusal again, for a later request: the store keeps refusing the SET. */
    public DatabaseBehind(DatabaseBehind first) {
        super(first.getMessage(), null);
    }
}
