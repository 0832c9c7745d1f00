package hongbao.store;

import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Which SETs this node owns (their engines, journals and jobs run here) and which it only visits. A cluster node's
 * answer comes with its leases; a single node owns every SET.
 */
public interface OwnedSets {

    boolean owns(int set);

    List<Integer> ownedSets();

    /**
     * Ends this node's hold on the SETs it owns, each once its journal is derived (nothing appends any more), so that a
     * successor takes them at once; what fails is added to {@code failures}.
     */
    void handOver(IntFunction<Store> stores, List<RuntimeException> failures);

    /** Every SET owned here, nothing held: SQLite, the benchmark, tools that open the stores alone. */
    static OwnedSets all(int sets) {
        return new OwnedSets() {
            @Override
            public boolean owns(int set) {
                return true;
            }

            @Override
            public List<Integer> ownedSets() {
                return IntStream.range(0, sets).boxed().toList();
            }

            @Override
            public void handOver(IntFunction<Store> stores, List<RuntimeException> failures) {
            }
        };
    }
}
