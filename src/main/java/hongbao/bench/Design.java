package hongbao.bench;

import hongbao.domain.AuditReport;

/** One way of applying opens, measured on the same data as the others. */
interface Design extends AutoCloseable {

    enum Outcome {
        /** The open was committed and answered. */
        ACK,
        /** A business refusal: snatched out, already claimed. */
        REFUSED,
        /** An error: lock timeout, too many retries, busy. */
        FAILED
    }

    String name();

    Outcome open(long packetId, String userId);

    /** Platform threads for designs that block in native database code; virtual threads otherwise. */
    default boolean needsPlatformThreads() {
        return false;
    }

    /** Conflicts retried (optimistic design); 0 elsewhere. */
    default long retries() {
        return 0;
    }

    AuditReport audit();

    /**
     * The journal's tail after {@link #audit}: the entries left to derive when the run ended, and the p99 of the time
     * from an open's acknowledgement to its derived rows (those left included, derived by the audit).
     */
    record DerivationTail(int backlogAtEnd, long ackToDerivedP99Micros) {
    }

    /** The tail of a design that journals opens; null for one that writes the tables at once. */
    default DerivationTail derivationTail() {
        return null;
    }

    /** A line about the design's internals worth printing beside its figures, if any. */
    default String diagnostics() {
        return "";
    }

    @Override
    void close();
}
