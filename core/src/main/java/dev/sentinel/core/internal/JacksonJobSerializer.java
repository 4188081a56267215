package dev.sentinel.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.jobs.JobSerializer;

/**
 * {@link JobSerializer#jackson()}: one {@link ObjectMapper}, with every module found on the class
 * path (the Java time module among them, dates written as ISO-8601 text), unknown properties
 * ignored so that an older worker reads a newer payload. Loaded only when Jackson is present.
 * Thread-safe.
 */
public final class JacksonJobSerializer implements JobSerializer {

    private final ObjectMapper mapper;

    private JacksonJobSerializer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The serializer.
     *
     * @return a new serializer
     */
    public static JacksonJobSerializer create() {
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return new JacksonJobSerializer(mapper);
    }

    @Override
    public String write(Object payload) {
        if (payload == null) {
            throw new InvalidInputException("JobSerializer: the payload is null; pass an object");
        }
        JsonNode tree;
        try {
            tree = mapper.valueToTree(payload);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("JobSerializer: could not write " + payload.getClass().getName() + ": " + e.getMessage(), e);
        }
        if (!tree.isObject()) {
            throw new InvalidInputException("JobSerializer: a payload must be written as a JSON object, but "
                    + payload.getClass().getName() + " is written as " + tree.getNodeType() + "; wrap it in a record");
        }
        try {
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("JobSerializer: could not write " + payload.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("JobSerializer: the payload does not fit " + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
