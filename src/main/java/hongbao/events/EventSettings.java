package hongbao.events;

import hongbao.store.events.EventType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How long events are kept and where webhooks go (docs/events.md).
 *
 * @param retention        events older than this are trimmed, once every webhook endpoint has been served them
 * @param webhookUrls      the host app's endpoints; each gets every event of {@code webhookTypes}, in order per SET
 * @param webhookSecret    the shared secret the signature is made with; required when there are endpoints
 * @param giveUpAfter      how long one event is retried before it becomes a dead letter and delivery moves on
 * @param backoffMax       the longest wait between two attempts (waits double from one second up to this)
 * @param requestTimeout   how long one attempt waits for the receiver's answer
 * @param maxStreams       how many event streams one node holds at once; 0: as many as half its heap and its open
 *                         files allow (docs/events.md)
 */
public record EventSettings(Duration retention, List<URI> webhookUrls, String webhookSecret, Set<EventType> webhookTypes,
        Duration giveUpAfter, Duration backoffMax, Duration requestTimeout, int maxStreams) {

    public static final EventSettings DEFAULT = new EventSettings(Duration.ofDays(7), List.of(), null,
            Set.of(EventType.values()), Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofSeconds(30), 0);

    public EventSettings {
        webhookUrls = List.copyOf(webhookUrls);
        webhookTypes = Set.copyOf(webhookTypes);
        if (!webhookUrls.isEmpty() && (webhookSecret == null || webhookSecret.length() < 16)) {
            throw new IllegalArgumentException("webhooks need a secret of at least 16 characters to sign with");
        }
        for (URI url : webhookUrls) {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("a webhook URL is http or https: " + url);
            }
        }
        if (retention.compareTo(giveUpAfter) <= 0) {
            throw new IllegalArgumentException("events must be kept longer than a webhook retries them");
        }
        if (maxStreams < 0) {
            throw new IllegalArgumentException("the most event streams a node holds is 0 (by its heap) or more");
        }
    }

    public EventSettings withWebhooks(List<URI> urls, String secret, Set<EventType> types) {
        return new EventSettings(retention, urls, secret, types, giveUpAfter, backoffMax, requestTimeout, maxStreams);
    }

    public EventSettings withRetries(Duration newGiveUpAfter, Duration newBackoffMax, Duration newRequestTimeout) {
        return new EventSettings(retention, webhookUrls, webhookSecret, webhookTypes, newGiveUpAfter, newBackoffMax,
                newRequestTimeout, maxStreams);
    }

    public EventSettings withRetention(Duration newRetention) {
        return new EventSettings(newRetention, webhookUrls, webhookSecret, webhookTypes, giveUpAfter, backoffMax,
                requestTimeout, maxStreams);
    }

    public EventSettings withMaxStreams(int newMaxStreams) {
        return new EventSettings(retention, webhookUrls, webhookSecret, webhookTypes, giveUpAfter, backoffMax,
                requestTimeout, newMaxStreams);
    }
}
