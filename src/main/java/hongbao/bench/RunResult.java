package hongbao.bench;

/** One repetition of one design on one scenario. Latencies are of acknowledged opens, in microseconds. */
record RunResult(String design, int rep, long acks, long refused, long failed, long retries, double seconds,
        double opensPerSecond, long p50Micros, long p99Micros, long p999Micros, boolean balanced) {
}
