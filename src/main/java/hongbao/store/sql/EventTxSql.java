package hongbao.store.sql;

import hongbao.store.events.EventDraft;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A transaction's events, kept until its end and then appended to the SET's log ({@link EventRows#append}). */
final class EventTxSql {
    private final TxStatements st;
    private final List<EventDraft> events = new ArrayList<>();

    EventTxSql(TxStatements st) {
        this.st = st;
    }

    void appendEvent(EventDraft event) {
        events.add(event);
    }

    /** Last, just before COMMIT: the log's numbering lock is then held only for the commit. */
    void write() throws SQLException {
        EventRows.append(st.connection(), events);
        events.clear();
    }
}
