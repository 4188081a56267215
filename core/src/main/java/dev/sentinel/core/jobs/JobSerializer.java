package dev.sentinel.core.jobs;

/**
 * Turns job payloads into JSON objects and back, so that handlers can take objects instead of JSON
 * text: typed handlers ({@code JobWorkers.Builder.handler(type, payloadClass, handler)}) read;
 * {@code NewJob.of(type, payload, serializer, options)} and
 * {@code tx.jobs().enqueue(type, payload, serializer, options)} write. Implementations must be thread-safe. Raw JSON stays possible: {@link Jobs#enqueue(String, String)}
 * and {@link Job#payload()} are text.
 */
public interface JobSerializer {

    /**
     * Writes a payload as a JSON object.
     *
     * @param payload the payload, not null
     * @return JSON text of an object, such as {@code {"order":"..."}}
     * @throws dev.sentinel.core.InvalidInputException if the payload cannot be written as a JSON object
     */
    String write(Object payload);

    /**
     * Reads a payload.
     *
     * @param json JSON text, as stored
     * @param type the payload's class
     * @param <T> the payload type
     * @return the payload
     * @throws dev.sentinel.core.InvalidInputException if the JSON does not fit the type
     */
    <T> T read(String json, Class<T> type);

    /**
     * The default, on Jackson's {@code ObjectMapper} with the Java time module when it is on the class
     * path (dates as ISO-8601 text). Jackson is an optional dependency of Sentinel: add
     * {@code com.fasterxml.jackson.core:jackson-databind} to use it.
     *
     * @return the Jackson serializer
     * @throws dev.sentinel.core.ConfigurationException if Jackson is not on the class path
     */
    static JobSerializer jackson() {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, JobSerializer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new dev.sentinel.core.ConfigurationException("JobSerializer.jackson() needs com.fasterxml.jackson.core:"
                    + "jackson-databind on the class path (an optional dependency of sentinel-core); add it, or pass your own JobSerializer");
        }
        return dev.sentinel.core.internal.JacksonJobSerializer.create();
    }
}
