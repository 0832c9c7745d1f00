package hongbao.domain;

import java.time.Instant;

/**
 * A token bucket: at most {@code perMinute} sends in any minute, and up to as many in a burst. Counted in integer
 * "token-milliseconds" (a token costs 60,000 of them; every millisecond adds {@code perMinute}), so no rounding.
 */
public final class SendRate {
    private static final long TOKEN = 60_000;

    private final long perMinute;
    private final long capacity;
    private long available;
    private long lastMillis;

    public SendRate(int perMinute, Instant now) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be positive");
        }
        this.perMinute = perMinute;
        this.capacity = perMinute * TOKEN;
        this.available = capacity;
        this.lastMillis = now.toEpochMilli();
    }

    /** Takes a token if one is available now; false (changing nothing) if the rate is used up. */
    public synchronized boolean tryTake(Instant now) {
        long millis = now.toEpochMilli();
        // A clock stepping back refills nothing rather than draining the bucket.
        long elapsed = Math.max(0, millis - lastMillis);
        lastMillis = Math.max(lastMillis, millis);
        available = elapsed >= capacity / perMinute ? capacity : Math.min(capacity, available + elapsed * perMinute);
        if (available < TOKEN) {
            return false;
        }
        available -= TOKEN;
        return true;
    }
}
