package dev.sentinel.core.jobs;

import dev.sentinel.core.InvalidInputException;

/**
 * One job to enqueue with {@link Jobs#enqueueAll}. Immutable.
 *
 * @param type the job type: lower-case words joined by dots, such as {@code orders.send_reminder}
 * @param payloadJson the input, a JSON object as text
 * @param options queue, priority, run-at, attempts, dedupe key
 */
public record NewJob(String type, String payloadJson, JobOptions options) {

    /**
     * Checks that every part is present; the type and payload are checked by the enqueue.
     *
     * @throws InvalidInputException if options is null
     */
    public NewJob {
        if (options == null) {
            throw new InvalidInputException("NewJob: options is null; pass JobOptions.defaults()");
        }
    }

    /**
     * A job with {@link JobOptions#defaults()}.
     *
     * @param type the job type
     * @param payloadJson the input, a JSON object as text
     * @return the job
     */
    public static NewJob of(String type, String payloadJson) {
        return new NewJob(type, payloadJson, JobOptions.defaults());
    }

    /**
     * A job whose payload {@code serializer} writes from an object.
     *
     * @param type the job type
     * @param payload the input, an object the serializer writes as a JSON object
     * @param serializer the serializer, such as {@link JobSerializer#jackson()}
     * @param options the options
     * @return the job
     */
    public static NewJob of(String type, Object payload, JobSerializer serializer, JobOptions options) {
        if (serializer == null) {
            throw new InvalidInputException("NewJob: serializer is null; pass JobSerializer.jackson() or your own");
        }
        return new NewJob(type, serializer.write(payload), options);
    }
}
