package hongbao.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulation's time. It moves when the simulation says, and also by a millisecond at every reading, as a real
 * clock moves while a batch is being worked on: so a batch can start before a packet's expiry and end after it.
 */
final class SimClock extends Clock {
    private Instant now;

    SimClock(Instant start) {
        this.now = start;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }

    /** The time without moving it, for the simulation's own records. */
    Instant peek() {
        return now;
    }

    @Override
    public Instant instant() {
        now = now.plusMillis(1);
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
