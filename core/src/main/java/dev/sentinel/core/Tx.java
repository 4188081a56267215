package dev.sentinel.core;

import dev.sentinel.core.audit.AuditTrail;
import dev.sentinel.core.identity.AccessScope;
import dev.sentinel.core.identity.ApiKeys;
import dev.sentinel.core.identity.Members;
import dev.sentinel.core.identity.RefreshTokens;
import dev.sentinel.core.identity.Resource;
import dev.sentinel.core.identity.Roles;
import dev.sentinel.core.identity.Users;
import dev.sentinel.core.jobs.Jobs;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.TableRecord;

/**
 * One open transaction in a scope, handed to the callback of {@link Scope#inTransaction}. Valid
 * only inside that callback and on its thread; after the transaction ends every method throws
 * {@link MissingScopeException}. Not thread-safe.
 */
public interface Tx {

    /**
     * jOOQ on this transaction's connection, for SQL the repositories do not cover. Row-level
     * security and the database's triggers apply exactly as to repository calls, and PostgreSQL
     * errors arrive translated into {@link SentinelException} subclasses. Do not commit, roll back
     * or change session settings through it.
     *
     * @return the DSL context of this transaction
     */
    DSLContext dsl();

    /**
     * The generic repository for a table that follows Sentinel's conventions (a {@code uuid id},
     * {@code tenant_id} for tenant tables, optional soft-delete, timestamp and {@code version}
     * columns), whether Sentinel's or a service's own. Driven by the generated jOOQ metadata; no
     * registration needed.
     *
     * @param table a generated table, such as {@code Tables.TENANTS}
     * @param <R> the record type
     * @return a repository bound to this transaction
     */
    <R extends TableRecord<R>> Repository<R> table(Table<R> table);

    /**
     * The audit trail of this scope: write custom entries (a sign-in, an export, a denial) and read
     * the trail. Row changes need no call: database triggers audit them.
     *
     * @return the trail, bound to this transaction
     */
    AuditTrail audit();

    /**
     * The job queue of this transaction's tenant: enqueue in this transaction (the job exists only
     * if it commits), read, cancel and retry jobs. Tenant scope only.
     *
     * @return the jobs, bound to this transaction
     */
    Jobs jobs();

    /**
     * Gap-free numbers of this transaction's tenant per series and period, such as invoice numbers
     * per year. Tenant scope only; call {@link Numbering#next} last in the transaction.
     *
     * @return the numbering, bound to this transaction
     */
    Numbering numbering();

    /**
     * A module's repositories (or a service's own) bound to this transaction, such as
     * {@code tx.attach(Ledger.class)}: the types that {@link Sentinel.Builder#module(SentinelModule)}
     * and {@link Sentinel.Builder#extension(Class, java.util.function.Function)} registered. Each call
     * makes a new instance; it is valid as long as this transaction.
     *
     * @param type the registered type
     * @param <T> the type
     * @return an instance bound to this transaction
     * @throws ConfigurationException if no module or extension registered {@code type}
     */
    <T> T attach(Class<T> type);

    /**
     * The tenant of this transaction, for work that needs one.
     *
     * @param operation what needs it, for the message, such as {@code tx.attach(Ledger.class)}
     * @return the tenant's id
     * @throws MissingScopeException in the system scope, naming the operation
     */
    UUID requireTenantId(String operation);

    /**
     * The service's clock ({@link Sentinel.Builder#clock(Clock)}), for the times a repository writes.
     *
     * @return the clock
     */
    Clock clock();

    /**
     * The service clock's current time at PostgreSQL's precision (microseconds), in UTC, so that a
     * time written and read back compares equal. Repositories stamp rows with it.
     *
     * @return the current time
     */
    OffsetDateTime now();

    /**
     * The tenant of this transaction.
     *
     * @return the tenant's id, or empty in the system scope
     */
    Optional<UUID> tenantId();

    /**
     * Whether this is the system scope, which sees every tenant's rows.
     *
     * @return {@code true} in the system scope
     */
    boolean isSystemScope();

    /**
     * Who performs this unit of work.
     *
     * @return the actor
     */
    Actor actor();

    /**
     * The request id that this transaction's audit rows carry (also on the SLF4J MDC as
     * {@code sentinel.request_id} while the transaction runs).
     *
     * @return the request id
     */
    String requestId();

    /**
     * Runs {@code hook} after the outermost transaction commits, on the calling thread, in the order
     * registered; not at all if it rolls back. If a hook throws, the remaining hooks still run and
     * the first exception reaches the caller of {@code inTransaction} (the data is committed).
     *
     * @param hook the work, such as publishing an event
     */
    void afterCommit(Runnable hook);

    /**
     * Checks that this transaction's actor holds {@code permission} here, and throws if not; call
     * it before the first write of an operation. A service actor ({@link Actor#service}) is the
     * service's own code and holds every permission. A user holds a permission through a role
     * assigned globally, or (in a tenant scope) across this tenant as an active member; a disabled
     * user ({@code users.status}) holds none. The
     * actor's grants are read once per transaction, so further checks cost no round trip; a
     * revocation counts from the next transaction, and at once in the transaction that made it.
     *
     * @param permission a permission key, {@code resource:action} such as {@code invoice:issue}
     * @throws PermissionDeniedException if the actor does not hold it
     * @throws InvalidInputException if the key is malformed
     */
    void authorize(String permission);

    /**
     * As {@link #authorize(String)}, where a grant narrowed to {@code resource} (a row of this
     * transaction's tenant, such as a project) also counts.
     *
     * @param permission a permission key, such as {@code time_entry:write}
     * @param resource the resource the operation concerns
     * @throws PermissionDeniedException if the actor does not hold it there
     */
    void authorize(String permission, Resource resource);

    /**
     * Whether a user holds a permission in a scope, through any of their grants that count there
     * (global, tenant-wide for an active member, or narrowed to the resource asked about); never for a disabled user. In a tenant scope only this
     * tenant (or the global scope) may be asked about.
     *
     * @param userId the user
     * @param permission a permission key
     * @param scope global, a tenant, or a resource of a tenant
     * @return {@code true} if some grant gives it
     * @throws TenantMismatchException if a tenant scope asks about another tenant
     */
    boolean can(UUID userId, String permission, AccessScope scope);

    /**
     * Roles and their assignments.
     *
     * @return the roles, bound to this transaction
     */
    Roles roles();

    /**
     * The members of this transaction's tenant. Tenant scope only.
     *
     * @return the members, bound to this transaction
     */
    Members members();

    /**
     * Users: created and changed in the system scope, read in either.
     *
     * @return the users, bound to this transaction
     */
    Users users();

    /**
     * API keys: the tenant's in a tenant scope, the platform's in the system scope.
     *
     * @return the keys, bound to this transaction
     */
    ApiKeys apiKeys();

    /**
     * Refresh tokens of members' sessions in this tenant. Tenant scope only.
     *
     * @return the tokens, bound to this transaction
     */
    RefreshTokens refreshTokens();

}
