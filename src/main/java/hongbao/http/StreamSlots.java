package hongbao.http;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many event streams this node holds at once. Each holds a connection (a file descriptor) and ~35-45 kB, most of
 * it heap, for as long as its client stays (BENCHMARKS.md, "10,000 idle streams"); without a bound, enough clients
 * would take the last descriptor or the heap, and an OutOfMemoryError ends the whole service, opens included. A stream
 * beyond the bound is refused before it starts (503 UNAVAILABLE, docs/events.md); the web UI then polls.
 */
final class StreamSlots {
    /** What the bound reckons one stream takes of the heap: above the ~33 kB measured after a full GC. */
    static final long HEAP_BYTES_PER_STREAM = 48 * 1024;
    /** Descriptors left for everything else: database connections and files, the API's other clients, webhooks. */
    static final long DESCRIPTORS_KEPT = 1_000;
    private static final int AT_LEAST = 100;

    private final int max;
    private final AtomicInteger held = new AtomicInteger();

    StreamSlots(int max) {
        this.max = max;
    }

    /** Half the heap and the descriptors beyond {@link #DESCRIPTORS_KEPT}, whichever is fewer streams. */
    static int boundFor(long maxHeapBytes, long maxDescriptors) {
        long byHeap = maxHeapBytes / 2 / HEAP_BYTES_PER_STREAM;
        long byDescriptors = maxDescriptors - DESCRIPTORS_KEPT;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(AT_LEAST, Math.min(byHeap, byDescriptors)));
    }

    /** The bound for this process: its maximum heap and its limit of open files (ulimit -n, LimitNOFILE). */
    static StreamSlots forThisProcess() {
        long descriptors = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
        return new StreamSlots(boundFor(Runtime.getRuntime().maxMemory(), descriptors));
    }

    int max() {
        return max;
    }

    /** A slot for one more stream, if one is free; {@link #release} gives it back when the stream ends. */
    boolean tryTake() {
        while (true) {
            int now = held.get();
            if (now >= max) {
                return false;
            }
            if (held.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        held.decrementAndGet();
    }

    int held() {
        return held.get();
    }
}
