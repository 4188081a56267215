package dev.sentinel.core.jobs;

/**
 * What {@link Jobs#enqueue} did.
 *
 * @param job the new job, or the existing one when {@code duplicate}
 * @param duplicate {@code true} when a queued or running job of the same tenant, type and dedupe key
 *     already existed and was returned instead of inserting a new one
 */
public record Enqueued(Job job, boolean duplicate) {
}
