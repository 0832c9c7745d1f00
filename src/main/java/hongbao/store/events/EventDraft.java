package hongbao.store.events;

import java.time.Instant;

/**
 * An event as a write transaction records it; the store gives it its place in the SET's order at commit. Most are
 * {@link Written} with their data as JSON; the opens' are {@link PackedEvent}s, stored many to a row and rendered when
 * read (docs/events.md, "How opens' events are stored").
 */
public sealed interface EventDraft permits EventDraft.Written, PackedEvent {
    EventType type();

    Instant at();

    Long packetId();

    Audience audience();

    String dataJson();

    /** An event stored in a row of its own, its data as JSON. */
    record Written(EventType type, Instant at, Long packetId, Audience audience, String dataJson) implements EventDraft {
    }
}
