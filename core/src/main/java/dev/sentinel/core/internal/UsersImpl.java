package dev.sentinel.core.internal;

import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.db.enums.UserStatus;
import dev.sentinel.core.identity.User;
import dev.sentinel.core.identity.Users;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Record;

/** {@link Users} on one transaction; row-level security decides which users a tenant sees. */
final class UsersImpl implements Users {

    /** The database's CHECK, so a bad address is an InvalidInputException before the statement. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern PHC = Pattern.compile("\\$[a-z0-9-]+\\$.+");
    private static final String SELECT = "select id, email, display_name, status, email_verified_at, created_at"
            + " from sentinel.users where deleted_at is null";

    private final TxImpl tx;

    UsersImpl(TxImpl tx) {
        this.tx = tx;
    }

    private DSLContext dsl() {
        return tx.dsl();
    }

    @Override
    public User create(String email, String displayName) {
        requireSystem("create");
        requireEmail(email, "users().create");
        requireName(displayName);
        tx.authorize("user:manage");
        UUID id = Ids.next();
        dsl().execute("insert into sentinel.users (id, email, display_name) values (?, ?, ?)", id, email.strip(), displayName);
        return find(id).orElseThrow();
    }

    @Override
    public User rename(UUID id, String displayName) {
        requireName(displayName);
        return update(id, "display_name = ?", displayName, "rename");
    }

    @Override
    public User changeEmail(UUID id, String email) {
        requireEmail(email, "users().changeEmail");
        return update(id, "email = ?, email_verified_at = null", email.strip(), "changeEmail");
    }

    @Override
    public User markEmailVerified(UUID id) {
        return update(id, "email_verified_at = ?::timestamptz", tx.now(),
                "markEmailVerified");
    }

    @Override
    public User changeStatus(UUID id, UserStatus status) {
        if (status == null) {
            throw new InvalidInputException("users().changeStatus: status is null");
        }
        return update(id, "status = ?", status.literal(), "changeStatus");
    }

    @Override
    public void setPasswordHash(UUID id, String phcHash) {
        if (phcHash == null || phcHash.length() > 1000 || !PHC.matcher(phcHash).matches()) {
            // Never echo the value: a caller who passes the password itself must not see it in a log.
            throw new InvalidInputException("users().setPasswordHash: the value is not a PHC-format hash such as"
                    + " $argon2id$v=19$...; hash the password with a password hashing library first (it was not stored)");
        }
        update(id, "password_hash = ?", phcHash, "setPasswordHash");
    }

    @Override
    public Optional<String> passwordHash(UUID id) {
        requireSystem("passwordHash");
        return dsl().fetchOptional("select password_hash from sentinel.users where id = ? and deleted_at is null", id)
                .map(row -> row.get(0, String.class));
    }

    @Override
    public Optional<User> find(UUID id) {
        return dsl().fetchOptional(SELECT + " and id = ?", id).map(UsersImpl::user);
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return email == null ? Optional.empty()
                : dsl().fetchOptional(SELECT + " and lower(email) = lower(?)", email.strip()).map(UsersImpl::user);
    }

    private User update(UUID id, String assignments, Object value, String operation) {
        requireSystem(operation);
        tx.authorize("user:manage");
        if (dsl().execute("update sentinel.users set " + assignments + " where id = ? and deleted_at is null", value, id) == 0) {
            throw new NotFoundException("users()." + operation + ": there is no live user " + id);
        }
        return find(id).orElseThrow();
    }

    private void requireSystem(String operation) {
        if (!tx.isSystemScope()) {
            throw new MissingScopeException("users()." + operation + ": users are global; change them in the system scope"
                    + " (sentinel.system(actor)). A tenant adds people with tx.members().invite");
        }
    }

    static void requireEmail(String email, String operation) {
        if (email == null || email.strip().length() > 320 || !EMAIL.matcher(email.strip()).matches()) {
            throw new InvalidInputException(operation + ": '" + (email == null ? null
                    : email.length() > 60 ? email.substring(0, 60) + "..." : email)
                    + "' is not an e-mail address (one '@', no spaces, at most 320 characters)");
        }
    }

    private static void requireName(String displayName) {
        if (displayName != null && (displayName.isBlank() || displayName.length() > 200)) {
            throw new InvalidInputException("users: a display name must be 1 to 200 characters, or null");
        }
    }

    private static User user(Record row) {
        return new User(row.get(0, UUID.class), row.get(1, String.class), row.get(2, String.class),
                UserStatus.ofLiteral(row.get(3, String.class)), row.get(4, OffsetDateTime.class), row.get(5, OffsetDateTime.class));
    }
}
