package hongbao.domain;

/** What one entry into a campaign came to. Business outcomes, not errors. */
public enum EntryOutcome {
    /** This entry won; the amount is reserved from the budget and the dispatcher will send the packet. */
    WON,
    /** The user won before; nobody wins twice. */
    ALREADY_WON,
    /** The draw said no. */
    NOT_WON,
    /** The budget is fully promised to earlier wins. */
    BUDGET_EXHAUSTED,
    NOT_STARTED,
    ENDED
}
