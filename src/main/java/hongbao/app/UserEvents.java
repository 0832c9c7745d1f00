package hongbao.app;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import hongbao.events.Event;
import hongbao.events.EventCursor;
import hongbao.events.EventFeed;
import java.time.Duration;

/**
 * The events a user may see (docs/events.md): those of their packets, of their wallet, and of the groups they are a
 * member of at the moment the event is read, so a user who left a group sees nothing more of it.
 */
public final class UserEvents {
    private final EventFeed feed;
    private final Directory directory;

    public UserEvents(EventFeed feed, Directory directory) {
        this.feed = feed;
        this.directory = directory;
    }

    /** A stream's next page: from the events this node keeps in memory, as recent as its last poll. */
    public EventFeed.Page page(String userId, EventCursor after, int limit) {
        return feed.page(after, event -> visibleTo(userId, event), limit);
    }

    /** A catch-up page, read from the logs: it includes every change acknowledged before it was asked. */
    public EventFeed.Page read(String userId, EventCursor after, int limit) {
        return feed.read(after, event -> visibleTo(userId, event), limit);
    }

    public boolean visibleTo(String userId, Event event) {
        return event.audience().includes(userId, directory::isMember);
    }

    /** A cursor as given back by a page or a stream; refused if it is not one of this deployment's. */
    public EventCursor cursor(String text) {
        return EventCursor.parse(text, feed.sets()).orElseThrow(() -> new Rejection(ErrorCode.INVALID_REQUEST,
                "a cursor is the \"next\" of an events page or the id of a streamed event: " + feed.sets()
                        + " numbers joined by dots"));
    }

    /** The start of every log: a reader from here sees every event still kept. */
    public EventCursor beginning() {
        return EventCursor.start(feed.sets());
    }

    /** Where the logs are now. */
    public EventCursor now() {
        return feed.head();
    }

    public boolean awaitPast(EventCursor cursor, Duration max) throws InterruptedException {
        return feed.awaitPast(cursor, max);
    }
}
