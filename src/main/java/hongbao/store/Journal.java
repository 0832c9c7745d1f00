package hongbao.store;

import hongbao.domain.PacketRules;
import java.util.List;
import java.util.function.LongConsumer;

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

    /**
     * Derives the oldest pending entries in one short transaction, as many as take about
     * {@link hongbao.store.journal.SliceSize#TARGET} (learned from the slices before), and trims the journal once
     * enough are derived; returns how many entries it derived (0: none were pending).
     */
    int deriveJournalSlice();

    /**
     * Tells {@code ackToDerivedNanos}, for every entry whose derived rows commit from now on, how long after its batch
     * was durable that happened (the time an acknowledged open waits to show in the tables).
     */
    void watchDerivationLag(LongConsumer ackToDerivedNanos);

    /** Journal entries not yet derived. */
    int journalBacklog();
}
