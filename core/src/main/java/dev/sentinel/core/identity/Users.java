package dev.sentinel.core.identity;

import dev.sentinel.core.db.enums.UserStatus;
import java.util.Optional;
import java.util.UUID;

/**
 * Users, bound to one transaction ({@link dev.sentinel.core.Tx#users()}). Users are global: the
 * system scope creates and changes them (with {@code user:manage}); a tenant scope reads its
 * members' users and adds people through {@link Members#invite}. Every change leaves an audit row.
 */
public interface Users {

    /**
     * Creates a user. System scope only.
     *
     * @param email the sign-in address, unique among live users regardless of case
     * @param displayName the display name, or null
     * @return the user
     * @throws dev.sentinel.core.InvalidInputException for a malformed address or name
     * @throws dev.sentinel.core.UniqueViolationException if a live user has the address
     * @throws dev.sentinel.core.PermissionDeniedException without {@code user:manage}
     */
    User create(String email, String displayName);

    /**
     * Changes a user's display name. System scope only.
     *
     * @param id the user
     * @param displayName the new name, or null
     * @return the user
     * @throws dev.sentinel.core.NotFoundException if there is no such live user
     */
    User rename(UUID id, String displayName);

    /**
     * Changes a user's e-mail address; it counts as unverified until {@link #markEmailVerified}.
     * System scope only.
     *
     * @param id the user
     * @param email the new address
     * @return the user
     * @throws dev.sentinel.core.UniqueViolationException if a live user has the address
     */
    User changeEmail(UUID id, String email);

    /**
     * Records that the user confirmed their address. System scope only.
     *
     * @param id the user
     * @return the user
     */
    User markEmailVerified(UUID id);

    /**
     * Enables or disables a user. A disabled user holds no permission anywhere ({@code tx.authorize}
     * and {@code tx.can} refuse, global grants included) and cannot rotate a refresh token, from the
     * next transaction on; grants and sessions are kept for when they are enabled again. The service's
     * sign-in must refuse them too. System scope only.
     *
     * @param id the user
     * @param status the new status
     * @return the user
     */
    User changeStatus(UUID id, UserStatus status);

    /**
     * Stores a password hash that the service computed with a password hashing library (Argon2id,
     * scrypt or bcrypt), in PHC string format such as {@code $argon2id$v=19$...}. Sentinel never
     * sees the password; the database refuses a value that is not in that format. System scope only.
     *
     * @param id the user
     * @param phcHash the encoded hash
     * @throws dev.sentinel.core.InvalidInputException if the value is not a PHC string
     */
    void setPasswordHash(UUID id, String phcHash);

    /**
     * The stored password hash, for the service's verification at sign-in. System scope only.
     *
     * @param id the user
     * @return the PHC string, or empty if the user has no password
     */
    Optional<String> passwordHash(UUID id);

    /**
     * A live user by id: any user in the system scope, a member's user in a tenant scope.
     *
     * @param id the user
     * @return the user, or empty
     */
    Optional<User> find(UUID id);

    /**
     * A live user by e-mail address, case-insensitive.
     *
     * @param email the address
     * @return the user, or empty
     */
    Optional<User> findByEmail(String email);
}
