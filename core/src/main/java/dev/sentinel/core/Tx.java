package dev.sentinel.core;

import dev.sentinel.core.audit.AuditTrail;
import dev.sentinel.core.billing.Invoices;
import dev.sentinel.core.content.KnowledgeBase;
import dev.sentinel.core.content.MediaLibrary;
import dev.sentinel.core.contracts.Contracts;
import dev.sentinel.core.crm.Leads;
import dev.sentinel.core.identity.AccessScope;
import dev.sentinel.core.identity.ApiKeys;
import dev.sentinel.core.identity.Members;
import dev.sentinel.core.identity.RefreshTokens;
import dev.sentinel.core.identity.Roles;
import dev.sentinel.core.identity.Users;
import dev.sentinel.core.integrations.Integrations;
import dev.sentinel.core.jobs.Jobs;
import dev.sentinel.core.projects.Projects;
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
     * Billing of this transaction's tenant: clients, drafts, issuing with gap-free numbers, credit
     * notes, the gap report and the ledger. Tenant scope only. Make {@code issue()} the last write
     * of the transaction: it locks its series's counter until commit.
     *
     * @return billing, bound to this transaction
     */
    Invoices invoices();

    /**
     * The projects of this transaction's tenant, with their assignments and time, the price list
     * and the tenant's environments. Tenant scope only.
     *
     * @return the projects, bound to this transaction
     * @throws MissingScopeException in the system scope
     */
    Projects projects();

    /**
     * The contracts of this transaction's tenant: immutable versions and the e-signature state
     * machine. Tenant scope only.
     *
     * @return the contracts, bound to this transaction
     * @throws MissingScopeException in the system scope
     */
    Contracts contracts();

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
     * As {@link #authorize(String)}, where a grant narrowed to {@code projectId} (of this
     * transaction's tenant) also counts.
     *
     * @param permission a permission key, such as {@code time_entry:write}
     * @param projectId the project the operation concerns
     * @throws PermissionDeniedException if the actor does not hold it there
     */
    void authorize(String permission, UUID projectId);

    /**
     * Whether a user holds a permission in a scope, through any of their grants that count there
     * (global, tenant-wide for an active member, or the project's); never for a disabled user. In a tenant scope only this
     * tenant (or the global scope) may be asked about.
     *
     * @param userId the user
     * @param permission a permission key
     * @param scope global, a tenant, or a project of a tenant
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

    /**
     * The leads inbox of this transaction's tenant: create, move through the pipeline, assign,
     * convert into a client, soft-delete, search. Tenant scope only.
     *
     * @return the leads, bound to this transaction
     */
    Leads leads();

    /**
     * The knowledge base of this transaction's tenant: documents with a live-unique slug, drafted,
     * published and archived. Tenant scope only.
     *
     * @return the knowledge base, bound to this transaction
     */
    KnowledgeBase knowledgeBase();

    /**
     * The media library of this transaction's tenant: uploaded files' metadata, read through the
     * audience that may see them (members, portal, public). Tenant scope only.
     *
     * @return the media library, bound to this transaction
     */
    MediaLibrary media();

    /**
     * The connections of this transaction's tenant to third-party providers: one per provider,
     * OAuth tokens sealed at rest and redacted from the audit trail. Tenant scope only.
     *
     * @return the integrations, bound to this transaction
     */
    Integrations integrations();
}
