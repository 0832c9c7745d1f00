package hongbao.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * The simulation's time. It moves when the simulation says, and also by a millisecond at every reading, as a real
 * clock moves while a batch is being worked on: so a batch can start before a packet's expiry and end after it. Some
 * runs also step it back a little now and then, as NTP steps a real clock.
 */
final class SimClock extends Clock {
    private final SplittableRandom random;
    private final double stepBack;
    private Instant now;
    private Instant latest;

    SimClock(Instant start, SplittableRandom random) {
        this.now = start;
        this.latest = start;
        this.random = random;
        this.stepBack = random.nextBoolean() ? 0 : random.nextDouble() * 0.1;
    }

    void advance(Duration by) {
        now = now.plus(by);
        if (now.isAfter(latest)) {
            latest = now;
        }
    }

    /** The time without moving it, for the simulation's own records. */
    Instant peek() {
        return now;
    }

    /** The latest time any reading has shown, however the clock stepped since. */
    Instant latest() {
        return latest;
    }

    @Override
    public Instant instant() {
        now = now.plusMillis(1);
        if (stepBack > 0 && random.nextDouble() < stepBack) {
            now = now.minusMillis(1 + random.nextInt(5));
        }
        if (now.isAfter(latest)) {
            latest = now;
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
