package dev.sentinel.core.identity;

import dev.sentinel.core.db.enums.UserStatus;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A person who signs in: global, one per person, whatever tenants they belong to. Immutable.
 *
 * @param id the user's id
 * @param email the sign-in address
 * @param displayName the display name, or null
 * @param status whether they may sign in
 * @param emailVerifiedAt when the address was confirmed, or null
 * @param createdAt when the user was created
 */
public record User(UUID id, String email, String displayName, UserStatus status, OffsetDateTime emailVerifiedAt,
                   OffsetDateTime createdAt) {
}
