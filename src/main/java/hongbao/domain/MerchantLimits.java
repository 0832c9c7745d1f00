package hongbao.domain;

/**
 * The merchant API's bounds (WeChat's defaults): each packet or share between {@code minAmount} and {@code maxAmount}
 * fen (1-200 yuan), at most {@code dailySendsPerUser} packets from one merchant to one user per Beijing day, at most
 * {@code sendsPerMinute} new sends per merchant and minute. Fission packets have 3-20 shares, as WeChat's.
 */
public record MerchantLimits(long minAmount, long maxAmount, int dailySendsPerUser, int sendsPerMinute) {
    public static final MerchantLimits DEFAULT = new MerchantLimits(100, 20_000, 10, 1800);
    public static final int MIN_GROUP_NUM = 3;
    public static final int MAX_GROUP_NUM = 20;
    /** WeChat's wishing is String(128); a packet's greeting is otherwise limited to 64 characters. */
    public static final int MAX_WISHING = 128;

    public MerchantLimits {
        if (minAmount < 1 || maxAmount < minAmount || dailySendsPerUser < 1 || sendsPerMinute < 1) {
            throw new IllegalArgumentException("inconsistent merchant limits");
        }
    }

    /** The packet limits a merchant's packets are checked against: shares in the merchant's range, longer wishes. */
    public Limits packetLimits(Limits service) {
        if (maxAmount > service.maxShare()) {
            throw new IllegalArgumentException("the merchant maximum " + maxAmount + " exceeds the largest share "
                    + service.maxShare());
        }
        return new Limits(Math.max(service.maxCount(), MAX_GROUP_NUM), minAmount, maxAmount, MAX_WISHING,
                service.maxDeposit(), service.maxMoneySupply());
    }
}
