package hongbao.events;

import hongbao.store.events.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One endpoint's delivery of one SET's log on several lanes at once: every event of one packet (or, for a wallet's
 * or a member's event, of one user) goes to the same lane, which sends them one after the other in the log's order,
 * so a packet's events still arrive in order while other packets' go out beside them. The log is delivered through
 * the last event before the oldest one still in flight; at most a window of events is in flight.
 */
final class DeliveryLanes implements AutoCloseable {
    /** Sends one event; false if it stopped first ({@code stopped} turned true), so the event is sent again later. */
    interface Sender {
        boolean send(Event event, BooleanSupplier stopped);
    }

    private final List<BlockingQueue<Event>> queues = new ArrayList<>();
    private final ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor();
    private final Sender sender;
    /** The seqs handed to a lane and not yet delivered or given up on (guarded by this). */
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long dispatchedThrough;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    DeliveryLanes(int laneCount, long deliveredThrough, Sender sender) {
        this.sender = sender;
        this.dispatchedThrough = deliveredThrough;
        for (int lane = 0; lane < laneCount; lane++) {
            BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            lanes.submit(() -> serve(queue));
        }
    }

    /** Hands the next event of the log to its lane; one the endpoint does not want is delivered at once. */
    void dispatch(Event event, boolean wanted) {
        synchronized (this) {
            if (event.seq() <= dispatchedThrough) {
                throw new IllegalArgumentException("event " + event.id() + " is not after " + dispatchedThrough);
            }
            dispatchedThrough = event.seq();
            if (!wanted) {
                return;
            }
            inFlight.add(event.seq());
        }
        queues.get(Math.floorMod(key(event).hashCode(), queues.size())).add(event);
    }

    /** What must stay in order: a packet's events; a wallet's or a member's by user. */
    private static Object key(Event event) {
        return event.packetId() != null ? event.packetId() : String.valueOf(event.audience().receiverId());
    }

    synchronized int inFlight() {
        return inFlight.size();
    }

    /** Every event through this seq is delivered or given up on. */
    synchronized long deliveredThrough() {
        return inFlight.isEmpty() ? dispatchedThrough : inFlight.first() - 1;
    }

    /** True once a lane stopped (the delivery is closing or replaying) or {@link #close} began. */
    boolean stopped() {
        return stopped;
    }

    private void serve(BlockingQueue<Event> queue) {
        try {
            while (!stopped) {
                Event event = queue.poll(100, TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                if (!sender.send(event, this::stopped)) {
                    stopped = true;
                    return;
                }
                synchronized (this) {
                    inFlight.remove(event.seq());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Recording a dead letter failed: the lanes stop, and close() hands the failure to the delivery loop.
            failure = e;
            stopped = true;
        }
    }

    /** Tells the lanes to stop; a lane waiting to retry notices when its wait ends (wake it). */
    void stop() {
        stopped = true;
    }

    /** Stops the lanes after the requests in flight, which are bounded by the request timeout. */
    @Override
    public void close() {
        stopped = true;
        lanes.close();
        if (failure != null) {
            throw failure;
        }
    }
}
