package hongbao.domain;

/**
 * Configurable bounds on what a packet or deposit may be. Every amount is in fen.
 *
 * @param maxCount        most shares in one packet
 * @param minShare        smallest share
 * @param maxShare        largest share
 * @param maxGreeting     longest greeting, in characters (code points)
 * @param maxDeposit      largest single deposit
 * @param maxMoneySupply  most money that may ever enter the system; keeps every balance far from overflow
 */
public record Limits(int maxCount, long minShare, long maxShare, int maxGreeting, long maxDeposit, long maxMoneySupply) {
    public static final Limits DEFAULT = new Limits(100, 1, 20_000, 64, 10_000_000_000L, 1_000_000_000_000_000L);

    public Limits {
        if (maxCount < 1 || minShare < 1 || maxShare < minShare || maxGreeting < 0 || maxDeposit < 1
                || maxMoneySupply < maxDeposit) {
            throw new IllegalArgumentException("inconsistent limits");
        }
        if (Math.multiplyHigh(maxShare, maxCount) != 0 || maxShare * maxCount > maxMoneySupply) {
            throw new IllegalArgumentException("maxShare * maxCount must fit the money supply");
        }
    }

    public long maxTotal(int count) {
        return maxShare * count;
    }
}
