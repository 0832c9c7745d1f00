package hongbao.store.sql;

import hongbao.domain.SetLayout;

/** Which SET of the layout a database holds. */
public record SetPlacement(SetLayout layout, int index) {
    public SetPlacement {
        if (index < 0 || index >= layout.sets()) {
            throw new IllegalArgumentException("SET " + index + " is not one of " + layout.sets());
        }
    }

    /** The whole data in one database. */
    public static SetPlacement only(int shards) {
        return new SetPlacement(new SetLayout(shards, 1), 0);
    }

    public String describe() {
        return "SET " + index + " of " + layout.sets() + " over " + layout.shards() + " shards";
    }
}
