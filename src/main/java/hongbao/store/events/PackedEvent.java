package hongbao.store.events;

/**
 * An event of an open, stored as a line of {@link PackedText} beside the other events of its derivation, many to a
 * row: the derivation writes one row where it wrote one per event, and builds no JSON. Its JSON is rendered from the
 * line when the event is read, by the same code that renders it when it is written, so both say the same.
 */
public sealed interface PackedEvent extends EventDraft permits OpenedEvent, FinishedEvent {

    /** Appends this event's line (without its line end). */
    void pack(PackedText.Writer line);

    /** The event a line written by {@link #pack} holds. */
    static PackedEvent unpack(String line) {
        PackedText.Reader fields = new PackedText.Reader(line);
        String tag = fields.string();
        return switch (tag) {
            case OpenedEvent.TAG -> OpenedEvent.unpack(fields);
            case FinishedEvent.TAG -> FinishedEvent.unpack(fields);
            default -> throw new IllegalArgumentException("not a packed event: " + line);
        };
    }
}
