package hongbao.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key, made on first use and dropped when nobody holds or waits for it, so that requests for the same key
 * run one after another and requests for different keys do not wait for each other.
 */
final class KeyedLocks {
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** A held lock; closing it releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        /** Holders and waiters; changed only inside the map's compute, which is atomic per key. */
        int users;
    }

    Held lock(String key) {
        Entry entry = entries.compute(key, (k, existing) -> {
            Entry e = existing == null ? new Entry() : existing;
            e.users++;
            return e;
        });
        entry.lock.lock();
        return () -> {
            entry.lock.unlock();
            entries.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
        };
    }
}
