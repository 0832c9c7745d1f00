package hongbao.store;

import hongbao.domain.PacketRules;
import java.util.List;

/** The open journal: opens made durable as appended entries, derived into the tables off the answer's path. */
public interface Journal {
    /**
     * Makes a batch of opens durable, committed before it returns, as appended journal entries. Claims, credits,
     * balances and packet progress are derived from them later, off the answer's path; every read and every
     * {@link #write} sees them as if they were derived already.
     */
    void journalOpens(List<PacketRules.Opened> opens);

    /**
     * Derives whatever the journal holds that is not yet derived, and trims the journal once enough entries are
     * derived; returns how many entries were pending when it began (0: none, and nothing was derived).
     */
    int deriveJournal();

    /** Journal entries not yet derived. */
    int journalBacklog();
}
