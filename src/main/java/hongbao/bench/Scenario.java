package hongbao.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A workload: the packets that are live, how many openers race for each share, and how many clients open at once.
 *
 * @param shareCounts      one entry per packet: its number of shares
 * @param openersPerShare  openers per packet = shares x this (the rest are snatched out)
 * @param concurrency      clients opening at the same time
 */
record Scenario(String name, List<Integer> shareCounts, double openersPerShare, int concurrency) {

    /** One packet, many more openers than shares, all at once. */
    static Scenario hot(int shares, int openers) {
        return new Scenario("hot", List.of(shares), (double) openers / shares, openers);
    }

    /** Many live group packets of 10..100 shares, opens arriving at random across them. */
    static Scenario storm(int packets, double openersPerShare, int concurrency, long seed) {
        Random random = new Random(seed);
        List<Integer> counts = new ArrayList<>(packets);
        for (int i = 0; i < packets; i++) {
            counts.add(10 + random.nextInt(91));
        }
        return new Scenario("storm", List.copyOf(counts), openersPerShare, concurrency);
    }

    /**
     * A storm that lasts: as many packets as keep {@code opensPerSecond} opening for {@code seconds} (the run's time
     * limit ends it, not the plan), their shares and openers drawn as the storm's.
     */
    static Scenario sustained(int seconds, int opensPerSecond, int concurrency, long seed) {
        double openersPerShare = 1.5;
        double meanOpensPerPacket = 55 * openersPerShare;
        int packets = (int) Math.ceil((double) seconds * opensPerSecond / meanOpensPerPacket);
        Scenario storm = storm(packets, openersPerShare, concurrency, seed);
        return new Scenario("sustained", storm.shareCounts(), openersPerShare, concurrency);
    }

    int totalShares() {
        return shareCounts.stream().mapToInt(Integer::intValue).sum();
    }

    int maxOpenersPerPacket() {
        return shareCounts.stream().mapToInt(this::openersFor).max().orElse(0);
    }

    int openersFor(int shares) {
        return (int) Math.ceil(shares * openersPerShare);
    }
}
