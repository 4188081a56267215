package dev.sentinel.core.secrets;

import dev.sentinel.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key ring for {@code sentinel:secret} columns, given to {@code Sentinel.builder().secretKeys(...)}:
 * one primary key, which seals every new value, and older keys, which only open values sealed
 * under them. Rotation adds a new primary, keeps the old one as an older key until
 * {@link SecretRotation} has re-sealed every value, then drops it. Immutable and thread-safe;
 * {@link #toString()} shows the ids only.
 */
public final class SecretKeys {

    private final String primaryId;
    private final Map<String, SecretKey> keys;

    private SecretKeys(String primaryId, Map<String, SecretKey> keys) {
        this.primaryId = primaryId;
        this.keys = keys;
    }

    /**
     * A key ring.
     *
     * @param primary the key that seals new values
     * @param older keys that only open values sealed under them (during and before a rotation)
     * @return the key ring
     * @throws InvalidInputException if a key is null or two keys have the same id
     */
    public static SecretKeys of(SecretKey primary, SecretKey... older) {
        if (primary == null) {
            throw new InvalidInputException("SecretKeys: the primary key is null; pass SecretKey.of(id, material)");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        keys.put(primary.id(), primary);
        for (SecretKey key : older == null ? new SecretKey[0] : older) {
            if (key == null) {
                throw new InvalidInputException("SecretKeys: an older key is null");
            }
            if (keys.putIfAbsent(key.id(), key) != null) {
                throw new InvalidInputException("SecretKeys: the key id " + key.id() + " is given twice; each id names"
                        + " one key material for good");
            }
        }
        return new SecretKeys(primary.id(), Map.copyOf(keys));
    }

    /**
     * The id of the key that seals new values.
     *
     * @return the primary key's id
     */
    public String primaryKeyId() {
        return primaryId;
    }

    /**
     * Every key id of the ring.
     *
     * @return the ids, the primary first
     */
    public List<String> keyIds() {
        List<String> ids = new ArrayList<>();
        ids.add(primaryId);
        keys.keySet().stream().filter(id -> !id.equals(primaryId)).sorted().forEach(ids::add);
        return List.copyOf(ids);
    }

    /** The keys, for Sentinel's cipher only. */
    Map<String, SecretKey> keys() {
        return keys;
    }

    @Override
    public String toString() {
        List<String> ids = keyIds();
        return "SecretKeys[primary " + primaryId + (ids.size() > 1 ? ", older " + String.join(", ", ids.subList(1, ids.size())) : "") + "]";
    }
}
