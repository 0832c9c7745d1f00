package hongbao.cluster;

import hongbao.store.OwnedSets;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The SETs this node owns, with their leases, and who owns the others (as each SET's database says).
 */
public final class SetOwnership implements OwnedSets {
    private final Ownership ownership;
    private final int sets;
    private final List<SetLease> leases;
    private final IntFunction<Optional<SetLease.Holder>> holders;

    public SetOwnership(Ownership ownership, int sets, List<SetLease> leases,
            IntFunction<Optional<SetLease.Holder>> holders) {
        this.ownership = ownership;
        this.sets = sets;
        this.leases = List.copyOf(leases);
        this.holders = holders;
    }

    /** Every SET owned here, no leases: SQLite, the benchmark, tools that open the stores alone. */
    public static SetOwnership all(int sets) {
        return new SetOwnership(Ownership.single(), sets, List.of(), set -> Optional.empty());
    }

    @Override
    public boolean owns(int set) {
        return ownership.owns(set);
    }

    @Override
    public List<Integer> ownedSets() {
        return IntStream.range(0, sets).filter(this::owns).boxed().toList();
    }

    /** This node's URL, as written into its leases. */
    public String node() {
        return ownership.node();
    }

    public boolean cluster() {
        return ownership.cluster();
    }

    /** How long a request passed on to another SET's owner waits for its answer. */
    public java.time.Duration forwardTimeout() {
        return ownership.forwardTimeout();
    }

    public List<SetLease> leases() {
        return leases;
    }

    /** Who holds a SET's lease now; empty where there are no leases. */
    public Optional<SetLease.Holder> holder(int set) {
        return holders.apply(set);
    }

    /**
     * Ends this node's leases once its SETs' journals are derived (nothing appends any more), so that a successor
     * takes them at once rather than after they expire.
     */
    @Override
    public void handOver(IntFunction<Store> stores, List<RuntimeException> failures) {
        for (SetLease lease : leases) {
            try {
                stores.apply(lease.set()).deriveJournal();
                lease.release();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
    }

    /** The SETs' ownership as a cluster node sees it: its leases, and who holds the others. */
    public static SetOwnership of(StoreSets sets) {
        return sets.ownership() instanceof SetOwnership cluster ? cluster : all(sets.layout().sets());
    }
}
