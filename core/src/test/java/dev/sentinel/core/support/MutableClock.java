package dev.sentinel.core.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand, for expiry and time-dependent rules. Thread-safe. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /**
     * Starts at an instant.
     *
     * @param start the first reading
     */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /**
     * Moves the clock.
     *
     * @param by how far forward (negative: backward)
     */
    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MutableClock stays in UTC");
    }
}
