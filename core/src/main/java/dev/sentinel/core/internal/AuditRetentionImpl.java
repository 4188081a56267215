package dev.sentinel.core.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditCheckpoint;
import dev.sentinel.core.audit.AuditCheckpoint.Purpose;
import dev.sentinel.core.audit.AuditRetention;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record2;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Audit retention (see {@link AuditRetention}). The deletes run on the owner's connections, each
 * batch in its own transaction that sets {@code sentinel.audit_removal}, the one path past the
 * trails' append-only trigger (V31); the checkpoint is signed before the first delete, so a crash
 * at any point leaves a state that verifies and that the next run finishes.
 */
public final class AuditRetentionImpl implements AuditRetention {

    /** Links (with their rows) removed per transaction: short locks, bounded WAL per commit. */
    static final int BATCH = 1_000;

    private final Sentinel sentinel;
    private final ChainSealer chain;
    private final DataSource owner;
    private final String ownerRole;
    private final Actor actor;

    /**
     * Creates the retention.
     *
     * @param sentinel the service's Sentinel
     * @param chain its chain, with a signing key
     * @param owner connections as the owner role
     * @param ownerRole the owner role's name
     * @param actor who runs it
     */
    public AuditRetentionImpl(Sentinel sentinel, ChainSealer chain, DataSource owner, String ownerRole, Actor actor) {
        this.sentinel = sentinel;
        this.chain = chain;
        this.owner = owner;
        this.ownerRole = ownerRole;
        this.actor = actor;
    }

    @Override
    public RetentionResult removeBefore(UUID tenantId, Instant cutoff) {
        if (tenantId == null || cutoff == null) {
            throw new InvalidInputException("removeBefore: tenantId and cutoff must not be null");
        }
        if (cutoff.isAfter(sentinel.clock().instant())) {
            throw new InvalidInputException("removeBefore: the cutoff " + cutoff + " is in the future; pass now minus the tenant's"
                    + " retention period");
        }
        String role = asOwner(dsl -> dsl.fetchValue(DSL.field("current_user::text", String.class)));
        if (!ownerRole.equals(role)) {
            throw new PermissionDeniedException("Audit retention runs as the owner role (" + ownerRole + "), the only role the"
                    + " trails' removal path admits; the data source given connects as " + role);
        }
        boolean exists = asOwner(dsl -> dsl.fetchExists(DSL.selectOne().from("sentinel.tenants").where("id = {0}", DSL.val(tenantId))));
        if (!exists) {
            throw new NotFoundException("removeBefore: no tenant " + tenantId);
        }
        chain.sealFully(tenantId);
        // The longest prefix of the chain whose rows all occurred before the cutoff.
        long end = asOwner(dsl -> dsl.fetchValue(DSL.field("""
                coalesce((select min(c.position) from sentinel.audit_chain c
                            join sentinel.audit_log a on a.tenant_id = c.tenant_id and a.id = c.audit_id
                           where c.tenant_id = {0} and a.occurred_at >= {1}),
                         (select coalesce(max(position), 0) + 1 from sentinel.audit_chain where tenant_id = {0})) - 1""",
                Long.class, DSL.val(tenantId), DSL.val(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)))));
        AuditCheckpoint previous = asOwner(dsl -> ChainSealer.retentionStart(ChainSealer.checkpoints(dsl, tenantId), Long.MAX_VALUE));
        AuditCheckpoint checkpoint = previous;
        if (end > 0 && (previous == null || end > previous.position())) {
            checkpoint = chain.checkpoint(tenantId, Purpose.RETENTION, end);
        }
        if (checkpoint == null) {
            return new RetentionResult(tenantId, cutoff, 0, null);
        }
        long removed = 0;
        long links;
        long upTo = checkpoint.position();
        do {
            Record2<Long, Long> batch = asOwner(dsl -> dsl.resultQuery("""
                    with doomed as (select position, audit_id from sentinel.audit_chain
                                     where tenant_id = {0} and position <= {1} order by position limit {2}),
                         removed_rows as (delete from sentinel.audit_log a using doomed d
                                           where a.tenant_id = {0} and a.id = d.audit_id returning 1),
                         removed_links as (delete from sentinel.audit_chain c using doomed d
                                            where c.tenant_id = {0} and c.position = d.position returning 1)
                    select (select count(*) from removed_rows), (select count(*) from removed_links)""",
                    DSL.val(tenantId), DSL.val(upTo), DSL.val(BATCH)).coerce(DSL.field("r", Long.class), DSL.field("l", Long.class))
                    .fetchOne());
            removed += batch.value1();
            links = batch.value2();
        } while (links > 0);
        long total = removed;
        AuditCheckpoint signed = checkpoint;
        asOwner(dsl -> dsl.query("""
                insert into sentinel.system_audit_log (id, actor_type, actor_id, actor_label, action, entity_type, entity_id, message, meta)
                values (gen_random_uuid(), {0}, {1}, {2}, 'audit.retention', 'tenants', {3}, {4}, {5})""",
                DSL.val(actor.userId().isPresent() ? "user" : "service"), DSL.val(actor.userId().orElse(null), UUID.class),
                DSL.val(actor.serviceName().orElse(null), String.class), DSL.val(tenantId),
                DSL.val("Audit rows of tenant " + tenantId + " that occurred before " + cutoff + " removed behind a signed checkpoint"),
                DSL.val(JSONB.valueOf(Json.object(Map.of(
                        "scope", "system",
                        "cutoff", cutoff.toString(),
                        "rows_removed", Long.toString(total),
                        "checkpoint_position", Long.toString(signed.position()),
                        "checkpoint_signed_at", signed.signedAt().toString(),
                        "checkpoint_key_id", signed.keyId()))))).execute());
        return new RetentionResult(tenantId, cutoff, removed, checkpoint);
    }

    /** One transaction on an owner connection, in the system scope and on the removal path. */
    private <T> T asOwner(Function<DSLContext, T> work) {
        try (Connection connection = owner.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
                dsl.execute("set local sentinel.scope = 'system'");
                dsl.execute("set local sentinel.audit_removal = 'retention'");
                dsl.execute("select set_config('sentinel.actor_id', {0}, true)", DSL.val(actor.settingValue()));
                T result = work.apply(dsl);
                connection.commit();
                return result;
            } catch (RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Audit retention: " + e.getMessage(), e.getSQLState(), e);
        }
    }
}
