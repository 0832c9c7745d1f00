package hongbao.store.events;

import java.time.Instant;

/** An event as a write transaction records it; the store gives it its place in the SET's order at commit. */
public record EventDraft(EventType type, Instant at, Long packetId, Audience audience, String dataJson) {
}
