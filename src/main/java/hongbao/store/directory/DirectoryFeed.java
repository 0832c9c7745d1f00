package hongbao.store.directory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One SET's {@link DirectoryChanges}: told of this process's commits by the store, of others' by a listener. */
public final class DirectoryFeed implements DirectoryChanges {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    public void publish(List<DirectoryChange> changes) {
        for (DirectoryChange change : changes) {
            listeners.forEach(listener -> listener.changed(change));
        }
    }

    public void missedSome() {
        listeners.forEach(Listener::missedSome);
    }
}
