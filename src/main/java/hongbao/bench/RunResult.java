package hongbao.bench;

/**
 * One repetition of one design on one scenario. Latencies are of acknowledged opens, in microseconds.
 *
 * @param derivation the journal's tail when the run ended, for a design that derives one (null otherwise)
 */
record RunResult(String design, int rep, long acks, long refused, long failed, long retries, double seconds,
        double opensPerSecond, long p50Micros, long p99Micros, long p999Micros, boolean balanced,
        Design.DerivationTail derivation) {

    static RunResult of(String design, int rep, OpenRunner.Counts counts, long retries, boolean balanced,
            Design.DerivationTail derivation) {
        Latencies latencies = counts.latencies();
        return new RunResult(design, rep, counts.acks(), counts.refused(), counts.failed(), retries, counts.seconds(),
                counts.acks() / counts.seconds(), latencies.percentileMicros(0.50), latencies.percentileMicros(0.99),
                latencies.percentileMicros(0.999), balanced, derivation);
    }

    /** The journal's tail as the bench line prints it, or nothing for a design without a journal. */
    String derivationLine() {
        return derivation == null ? "" : String.format("  backlog at end %,d  ack-to-derived p99 %,d us",
                derivation.backlogAtEnd(), derivation.ackToDerivedP99Micros());
    }
}
