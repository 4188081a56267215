package dev.sentinel.core.jobs;

import dev.sentinel.core.InvalidInputException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, for the delay before a failed job's next attempt:
 * after attempt {@code n} (1-based) the delay is {@code min(cap, base * 2^(n-1))}, multiplied by a
 * random factor in {@code [1 - jitter, 1]}, so workers failing together do not retry together.
 * Immutable and thread-safe.
 *
 * @param base the delay after the first attempt
 * @param cap the largest delay
 * @param jitter the fraction of the delay that is random, 0 to 1
 */
public record Backoff(Duration base, Duration cap, double jitter) {

    /**
     * Validates the policy.
     *
     * @throws InvalidInputException if a duration is not positive, cap is below base, or jitter is outside 0..1
     */
    public Backoff {
        JobOptions.positive("Backoff: base", base);
        JobOptions.positive("Backoff: cap", cap);
        if (cap.compareTo(base) < 0) {
            throw new InvalidInputException("Backoff: cap " + cap + " is below base " + base);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new InvalidInputException("Backoff: jitter " + jitter + " is outside 0..1");
        }
    }

    /**
     * 1 second doubling to at most 1 hour, 20 % jitter.
     *
     * @return the default policy
     */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofHours(1), 0.2);
    }

    /**
     * The delay after a failed attempt.
     *
     * @param attempt the attempt that failed, from 1
     * @return the delay, between {@code (1 - jitter) * d} and {@code d} for {@code d = min(cap, base * 2^(attempt-1))}
     */
    public Duration delay(int attempt) {
        int shift = Math.max(0, Math.min(attempt - 1, 40));
        double full = Math.min((double) cap.toMillis(), base.toMillis() * Math.pow(2, shift));
        double factor = 1 - jitter * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(full * factor)));
    }
}
