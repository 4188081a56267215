package dev.sentinel.core;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who performs a unit of work: a user (by id) or a named service. The actor is set for each
 * transaction ({@code sentinel.actor_id}), so audit rows and {@code deleted_by} name it whatever
 * SQL ran. Immutable and thread-safe.
 */
public final class Actor {

    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,62}");

    private final UUID userId;
    private final String service;

    private Actor(UUID userId, String service) {
        this.userId = userId;
        this.service = service;
    }

    /**
     * A user, by the id of their {@code users} row.
     *
     * @param userId the user's id
     * @return the actor
     * @throws InvalidInputException if {@code userId} is null
     */
    public static Actor user(UUID userId) {
        if (userId == null) {
            throw new InvalidInputException("Actor.user: userId is null; pass the id of the acting user");
        }
        return new Actor(userId, null);
    }

    /**
     * A service acting on its own behalf, such as a scheduled job or a migration.
     *
     * @param name lower-case letters, digits, {@code _ . -}, starting with a letter, at most 63 characters
     * @return the actor
     * @throws InvalidInputException if the name does not fit that pattern
     */
    public static Actor service(String name) {
        if (name == null || !SERVICE_NAME.matcher(name).matches()) {
            throw new InvalidInputException("Actor.service: name '" + name + "' must be lower-case letters, digits,"
                    + " '_', '.' or '-', starting with a letter, at most 63 characters");
        }
        return new Actor(null, name);
    }

    /**
     * The user's id, when the actor is a user.
     *
     * @return the id, or empty for a service
     */
    public Optional<UUID> userId() {
        return Optional.ofNullable(userId);
    }

    /**
     * The service's name, when the actor is a service.
     *
     * @return the name, or empty for a user
     */
    public Optional<String> serviceName() {
        return Optional.ofNullable(service);
    }

    /**
     * The value of the {@code sentinel.actor_id} setting: the user's id, or {@code service:<name>}.
     * Contains only characters that are safe inside a SQL string literal.
     *
     * @return the setting value
     */
    public String settingValue() {
        return userId != null ? userId.toString() : "service:" + service;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Actor actor && Objects.equals(userId, actor.userId) && Objects.equals(service, actor.service);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, service);
    }

    @Override
    public String toString() {
        return userId != null ? "Actor[user " + userId + "]" : "Actor[service " + service + "]";
    }
}
