package dev.sentinel.core.audit;

import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.db.enums.AuditLevel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A custom audit entry that the service writes itself, for actions that change no row: a sign-in,
 * an export, a denied permission. Immutable; each method returns a copy.
 *
 * <pre>{@code
 * tx.audit().record(AuditEvent.of("report.export").entity("orders", orderId).meta("format", "csv"));
 * }</pre>
 *
 * @param action what happened: lower-case words joined by {@code .} or {@code :}, e.g. {@code auth.login}
 * @param level the level
 * @param entityType the kind of thing concerned, or {@code null}
 * @param entityId its id, or {@code null}
 * @param message a sentence for people, or {@code null}
 * @param meta further context; values are stored as JSON strings
 */
public record AuditEvent(String action, AuditLevel level, String entityType, UUID entityId, String message,
        Map<String, String> meta) {

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*([.:][a-z][a-z0-9_]*)*");
    private static final int MAX_TEXT = 2000;

    /**
     * Validates the entry.
     *
     * @throws InvalidInputException naming the field that does not fit
     */
    public AuditEvent {
        if (action == null || action.length() > 100 || !ACTION.matcher(action).matches()) {
            throw new InvalidInputException("AuditEvent: action '" + action + "' must be lower-case words joined by '.' or ':',"
                    + " such as auth.login, at most 100 characters");
        }
        if (level == null) {
            throw new InvalidInputException("AuditEvent: level is null");
        }
        if (entityId != null && entityType == null) {
            throw new InvalidInputException("AuditEvent: an entity id needs its entity type");
        }
        if (message != null && message.length() > MAX_TEXT) {
            throw new InvalidInputException("AuditEvent: message longer than " + MAX_TEXT + " characters");
        }
        meta = Map.copyOf(meta);
    }

    /**
     * An entry at level {@link AuditLevel#INFO}.
     *
     * @param action what happened, such as {@code auth.login}
     * @return the entry
     */
    public static AuditEvent of(String action) {
        return new AuditEvent(action, AuditLevel.INFO, null, null, null, Map.of());
    }

    /**
     * Sets the level.
     *
     * @param level the level
     * @return a copy
     */
    public AuditEvent level(AuditLevel level) {
        return new AuditEvent(action, level, entityType, entityId, message, meta);
    }

    /**
     * Names the thing concerned.
     *
     * @param type its kind, usually a table name
     * @param id its id
     * @return a copy
     */
    public AuditEvent entity(String type, UUID id) {
        return new AuditEvent(action, level, type, id, message, meta);
    }

    /**
     * Adds a sentence for people.
     *
     * @param message the text, at most 2000 characters
     * @return a copy
     */
    public AuditEvent message(String message) {
        return new AuditEvent(action, level, entityType, entityId, message, meta);
    }

    /**
     * Adds one piece of context. Never put secrets here: audit rows are kept forever.
     *
     * @param key the key
     * @param value the value
     * @return a copy
     */
    public AuditEvent meta(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(meta);
        copy.put(key, value);
        return new AuditEvent(action, level, entityType, entityId, message, copy);
    }
}
