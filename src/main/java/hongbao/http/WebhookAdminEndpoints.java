package hongbao.http;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import hongbao.store.events.Event;
import hongbao.events.WebhookDelivery;
import hongbao.store.events.EventLog;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The operator's view of webhook delivery, and replay from an event id (docs/events.md). */
final class WebhookAdminEndpoints {
    private static final int DEAD_LETTERS_SHOWN = 100;

    private final WebhookDelivery webhooks;

    WebhookAdminEndpoints(WebhookDelivery webhooks) {
        this.webhooks = webhooks;
    }

    record DeadLetterView(String eventId, int attempts, String lastError, Instant at) {
    }

    /** {@code backlog}: events recorded and not yet delivered; {@code failingSince}: null while nothing fails. */
    record ProgressView(String url, int set, long deliveredThrough, long lastSeq, long backlog, Instant failingSince,
            List<DeadLetterView> deadLetters) {
    }

    record Replay(String url, String fromEventId) {
    }

    Answer progress(Exchange exchange) {
        List<ProgressView> items = webhooks.progress(DEAD_LETTERS_SHOWN).stream()
                .map(p -> new ProgressView(p.endpoint(), p.set(), p.deliveredThrough(), p.lastSeq(),
                        Math.max(0, p.lastSeq() - p.deliveredThrough()), p.failingSince(), p.deadLetters().stream().map(d -> deadLetter(p.set(), d)).toList()))
                .toList();
        return Answer.json(200, Map.of("items", items));
    }

    private static DeadLetterView deadLetter(int set, EventLog.DeadLetter letter) {
        return new DeadLetterView(Event.id(set, letter.seq()), letter.attempts(), letter.lastError(), letter.at());
    }

    /** Sends the endpoint this event and every later one of its SET again, in order. */
    Answer replay(Exchange exchange) {
        Replay request = Json.read(exchange.body(), Replay.class);
        if (request.url() == null || request.fromEventId() == null || !request.fromEventId().matches("evt_[0-9]{1,4}_[0-9]{1,18}")) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "url and fromEventId (an event's id, evt_<set>_<seq>) are required");
        }
        String[] parts = request.fromEventId().split("_");
        URI url;
        try {
            url = URI.create(request.url());
        } catch (IllegalArgumentException notAUrl) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "url is not a URL");
        }
        if (!webhooks.replay(url, Integer.parseInt(parts[1]), Long.parseLong(parts[2]))) {
            throw new Rejection(ErrorCode.NOT_FOUND, "no webhook endpoint " + request.url() + " with an event log "
                    + request.fromEventId());
        }
        return Answer.json(202, Map.of("url", url.toString(), "fromEventId", request.fromEventId()));
    }
}
