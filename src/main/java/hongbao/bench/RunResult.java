package hongbao.bench;

/** One repetition of one design on one scenario. Latencies are of acknowledged opens, in microseconds. */
record RunResult(String design, int rep, long acks, long refused, long failed, long retries, double seconds,
        double opensPerSecond, long p50Micros, long p99Micros, long p999Micros, boolean balanced) {

    static RunResult of(String design, int rep, OpenRunner.Counts counts, long retries, boolean balanced) {
        Latencies latencies = counts.latencies();
        return new RunResult(design, rep, counts.acks(), counts.refused(), counts.failed(), retries, counts.seconds(),
                counts.acks() / counts.seconds(), latencies.percentileMicros(0.50), latencies.percentileMicros(0.99),
                latencies.percentileMicros(0.999), balanced);
    }
}
