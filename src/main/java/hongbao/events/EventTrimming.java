package hongbao.events;

import hongbao.store.events.EventLog;
import hongbao.store.StoreSets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims the event logs of the SETs this node owns: events past the retention, but never one a webhook endpoint has
 * still to be served (it may be retrying it, or be down), so a receiver that comes back gets everything.
 */
public final class EventTrimming implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EventTrimming.class);

    private final EventSettings settings;
    private final StoreSets sets;
    private final Clock clock;

    public EventTrimming(EventSettings settings, StoreSets sets, Clock clock) {
        this.settings = settings;
        this.sets = sets;
        this.clock = clock;
    }

    @Override
    public void run() {
        for (int set : sets.ownedSets()) {
            EventLog events = sets.set(set).events();
            int trimmed = events.trim(clock.instant().minus(settings.retention()), servedThrough(events));
            if (trimmed > 0) {
                log.info("SET {}: trimmed {} events older than {}", set, trimmed, settings.retention());
            }
        }
    }

    /** The seq every endpoint has been served, or the newest when there are none. */
    private long servedThrough(EventLog events) {
        long through = events.lastSeq();
        for (java.net.URI url : settings.webhookUrls()) {
            through = Math.min(through, events.deliveredThrough(url.toString()).orElse(0));
        }
        return through;
    }
}
