package hongbao.domain;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * How a total becomes shares. Feasibility is decided up front and a valid split is built directly:
 * no rounding (integer fen), no retry loops, and the result is shuffled so that every position has the
 * same expectation (DESIGN.md §6).
 */
public final class Splits {
    private Splits() {
    }

    public static long[] equal(long total, int count) {
        requirePositive(total, count);
        if (total % count != 0) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "total must be divisible by count for GROUP_EQUAL");
        }
        long[] shares = new long[count];
        Arrays.fill(shares, total / count);
        return shares;
    }

    /** True when {@code count} shares in [min, max] (pairwise different if {@code distinct}) can sum to total. */
    public static boolean feasible(long total, int count, long min, long max, boolean distinct) {
        if (count < 1 || min < 1 || max < min || total < 1) {
            return false;
        }
        if (distinct) {
            long spread = (long) count * (count - 1) / 2;
            long reducedMax = max - (count - 1);
            return reducedMax >= min && fitsBetween(total - spread, count, min, reducedMax);
        }
        return fitsBetween(total, count, min, max);
    }

    /**
     * A random split of total into count shares, each in [min, max]; with {@code distinct} all shares differ.
     * Draws each share uniformly between its feasible bounds, capped at twice the mean of what is left (the
     * familiar "double average" feel), then shuffles.
     */
    public static long[] lucky(long total, int count, long min, long max, boolean distinct, RandomGenerator random) {
        requirePositive(total, count);
        if (!feasible(total, count, min, max, distinct)) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, String.format(
                    "cannot split %d fen into %d%s shares of %d..%d fen", total, count, distinct ? " distinct" : "", min, max));
        }
        long[] shares;
        if (distinct) {
            // Distinct sorted shares s_i are exactly t_i + i for a non-decreasing t_i in [min, max - count + 1].
            long spread = (long) count * (count - 1) / 2;
            shares = bounded(total - spread, count, min, max - (count - 1), random);
            Arrays.sort(shares);
            for (int i = 0; i < count; i++) {
                shares[i] += i;
            }
        } else {
            shares = bounded(total, count, min, max, random);
        }
        shuffle(shares, random);
        return shares;
    }

    private static long[] bounded(long total, int count, long min, long max, RandomGenerator random) {
        long[] shares = new long[count];
        long left = total;
        for (int i = 0; i < count - 1; i++) {
            int after = count - i - 1;
            long low = Math.max(min, left - saturatedTimes(max, after));
            long high = Math.min(max, left - saturatedTimes(min, after));
            long doubleMean = 2 * (left / (after + 1));
            long cap = Math.max(low, Math.min(high, doubleMean));
            shares[i] = low + random.nextLong(cap - low + 1);
            left -= shares[i];
        }
        shares[count - 1] = left;
        return shares;
    }

    private static boolean fitsBetween(long total, int count, long min, long max) {
        return total >= saturatedTimes(min, count) && total <= saturatedTimes(max, count);
    }

    private static long saturatedTimes(long positive, int times) {
        return positive > Long.MAX_VALUE / times ? Long.MAX_VALUE : positive * times;
    }

    private static void shuffle(long[] shares, RandomGenerator random) {
        for (int i = shares.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = shares[i];
            shares[i] = shares[j];
            shares[j] = swap;
        }
    }

    private static void requirePositive(long total, int count) {
        if (total < 1 || count < 1) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "total and count must be positive");
        }
    }
}
