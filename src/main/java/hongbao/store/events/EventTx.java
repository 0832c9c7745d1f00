package hongbao.store.events;

import hongbao.store.events.EventDraft;

/** The event log inside one transaction: the change's events, committed with it (docs/events.md). */
public interface EventTx {
    /** Records an event of this transaction's change in the SET's log. */
    void appendEvent(EventDraft event);
}
