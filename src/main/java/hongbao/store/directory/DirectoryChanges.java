package hongbao.store.directory;

/**
 * The port through which a cache of users, groups and memberships learns what changed in a SET after it read it:
 * every change committed from then on, by this process at once and, on PostgreSQL, by any process sharing the
 * database a moment later.
 */
public interface DirectoryChanges {

    /** Listeners are called on the committing thread or the store's listening thread: they must be quick. */
    void subscribe(Listener listener);

    interface Listener {
        void changed(DirectoryChange change);

        /** Changes may have been missed (the feed from the other processes was cut): anything read before may be stale. */
        void missedSome();
    }
}
