package dev.sentinel.core.internal;

import static dev.sentinel.core.db.Tables.AUDIT_CHAIN;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Isolation;
import dev.sentinel.core.Scope;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.audit.AuditChain;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.ChainAnchor;
import dev.sentinel.core.audit.ChainVerification;
import dev.sentinel.core.audit.ChainVerification.Kind;
import dev.sentinel.core.audit.ChainVerification.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Record4;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals and verifies the per-tenant audit chains (see {@link AuditChain} for the design).
 *
 * <p>Why the write path needs no lock: the chain is ordered by (transaction id, seq) and a row is
 * sealed only when its transaction id is below {@code pg_snapshot_xmin} of the sealer's snapshot,
 * that is, when every transaction that could still commit an earlier row has ended. Rows of
 * transactions that are still open simply wait for a later seal. So writers never coordinate with
 * the sealer, and the sealed prefix can never gain a row in its middle from a legitimate commit.
 *
 * <p>On Citus the reads of one tenant's rows run on the worker holding its shard, so the frontier is
 * that worker's {@code pg_snapshot_xmin}, and {@code tx} is that worker's transaction id too
 * ({@code sentinel.audit_log_stamp_tx}): each tenant's chain is ordered on the node that holds it.
 * The row is passed to {@code audit_canonical} as {@code row(a.*)::sentinel.audit_log} because on a
 * worker {@code a} has the shard's row type, for which no such function exists.
 */
public final class ChainSealer implements AuditChain {

    private static final Logger LOG = LoggerFactory.getLogger(ChainSealer.class);
    static final String GENESIS = "0".repeat(64);
    private static final int BATCH = 5_000;
    private static final String FRONTIER = "pg_snapshot_xmin(pg_current_snapshot())";

    private final Scope system;
    /**
     * Sealing runs at READ COMMITTED, not REPEATABLE READ: at REPEATABLE READ the transaction's
     * snapshot is taken by the statement that acquires the advisory lock, so a sealer that committed
     * its links and released the lock while that statement ran is invisible to it, and the stale
     * head makes it insert positions that exist ({@code audit_chain_pkey}). At READ COMMITTED the
     * head is read by a statement that starts after the lock is held, and sees every earlier
     * sealer's links.
     */
    private final Scope sealing;
    private final AuditKey key;
    private final Map<String, AuditKey> keys;
    private final AtomicLong skippedSeals = new AtomicLong();

    /**
     * Creates a sealer.
     *
     * @param system a system scope of the service's Sentinel
     * @param current the key new links are computed with
     * @param retired older keys, still accepted when verifying links they computed
     */
    public ChainSealer(Scope system, AuditKey current, List<AuditKey> retired) {
        this.system = system.with(TxOptions.defaults().withIsolation(Isolation.REPEATABLE_READ));
        this.sealing = system.with(TxOptions.defaults().withIsolation(Isolation.READ_COMMITTED));
        this.key = Objects.requireNonNull(current, "current");
        this.keys = new HashMap<>();
        for (AuditKey old : retired) {
            keys.put(old.id(), old);
        }
        keys.put(current.id(), current);
    }

    /**
     * The actor that sealing and verifying run as.
     *
     * @return the sealer's actor
     */
    public static Actor actor() {
        return Actor.service("sentinel-sealer");
    }

    @Override
    public int seal(UUID tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return sealing.inTransaction(tx -> {
            DSLContext dsl = tx.dsl();
            Boolean locked = dsl.fetchValue(DSL.field("pg_try_advisory_xact_lock(hashtextextended({0}, 0))", Boolean.class,
                    DSL.val("sentinel.audit_chain:" + tenantId)));
            if (!Boolean.TRUE.equals(locked)) {
                // Another sealer holds the tenant's chain, or any session of the role holds the same
                // advisory lock to stop sealing: never silent.
                long skipped = skippedSeals.incrementAndGet();
                LOG.warn("Sealing tenant {} skipped: another session holds its audit chain lock ({} skipped so far)", tenantId, skipped);
                return 0;
            }
            Record head = dsl.select(AUDIT_CHAIN.POSITION, AUDIT_CHAIN.HASH).from(AUDIT_CHAIN)
                    .where(AUDIT_CHAIN.TENANT_ID.eq(tenantId)).orderBy(AUDIT_CHAIN.POSITION.desc()).limit(1).fetchOne();
            long position = head == null ? 0 : head.get(AUDIT_CHAIN.POSITION);
            String previous = head == null ? GENESIS : head.get(AUDIT_CHAIN.HASH);
            List<Record> pending = dsl.resultQuery("""
                    select a.id, sentinel.audit_canonical(row(a.*)::sentinel.audit_log) as canonical
                      from sentinel.audit_log a
                     where a.tenant_id = {0}
                       and a.tx < %s
                       and not exists (select 1 from sentinel.audit_chain c where c.tenant_id = a.tenant_id and c.audit_id = a.id)
                     order by a.tx, a.seq
                     limit {1}""".formatted(FRONTIER), DSL.val(tenantId), DSL.val(BATCH)).fetch();
            if (pending.isEmpty()) {
                return 0;
            }
            var insert = dsl.insertInto(AUDIT_CHAIN, AUDIT_CHAIN.TENANT_ID, AUDIT_CHAIN.POSITION, AUDIT_CHAIN.AUDIT_ID,
                    AUDIT_CHAIN.HASH, AUDIT_CHAIN.KEY_ID);
            for (Record row : pending) {
                previous = link(key, previous, row.get("canonical", String.class));
                insert = insert.values(tenantId, ++position, row.get("id", UUID.class), previous, key.id());
            }
            insert.execute();
            return pending.size();
        });
    }

    /**
     * How many seals found the tenant's chain lock held and sealed nothing.
     *
     * @return the count since this sealer was created
     */
    public long skippedSeals() {
        return skippedSeals.get();
    }

    @Override
    public int sealAll() {
        List<UUID> tenants = system.inTransaction(tx -> tx.dsl().resultQuery("""
                select distinct a.tenant_id
                  from sentinel.audit_log a
                 where a.tx < %s
                   and not exists (select 1 from sentinel.audit_chain c where c.tenant_id = a.tenant_id and c.audit_id = a.id)
                """.formatted(FRONTIER)).fetch(0, UUID.class));
        int sealed = 0;
        for (UUID tenant : tenants) {
            int added;
            do {
                added = seal(tenant);
                sealed += added;
            } while (added == BATCH);
        }
        return sealed;
    }

    @Override
    public ChainAnchor anchor(UUID tenantId) {
        return system.inTransaction(tx -> {
            Record head = tx.dsl().select(AUDIT_CHAIN.POSITION, AUDIT_CHAIN.HASH).from(AUDIT_CHAIN)
                    .where(AUDIT_CHAIN.TENANT_ID.eq(tenantId)).orderBy(AUDIT_CHAIN.POSITION.desc()).limit(1).fetchOne();
            return head == null ? new ChainAnchor(tenantId, 0, GENESIS)
                    : new ChainAnchor(tenantId, head.get(AUDIT_CHAIN.POSITION), head.get(AUDIT_CHAIN.HASH));
        });
    }

    @Override
    public ChainVerification verify(UUID tenantId) {
        return verify(tenantId, null);
    }

    @Override
    public ChainVerification verify(ChainAnchor anchor) {
        return verify(anchor.tenantId(), anchor);
    }

    private ChainVerification verify(UUID tenantId, ChainAnchor anchor) {
        return system.inTransaction(tx -> {
            DSLContext dsl = tx.dsl();
            List<Record4<Long, UUID, String, String>> links = dsl.select(AUDIT_CHAIN.POSITION, AUDIT_CHAIN.AUDIT_ID,
                    AUDIT_CHAIN.HASH, AUDIT_CHAIN.KEY_ID).from(AUDIT_CHAIN).where(AUDIT_CHAIN.TENANT_ID.eq(tenantId))
                    .orderBy(AUDIT_CHAIN.POSITION).fetch();
            // Every finished row, in chain order: the sealed ones must match the links one for one.
            List<Record> rows = dsl.resultQuery("""
                    select a.id, sentinel.audit_canonical(row(a.*)::sentinel.audit_log) as canonical
                      from sentinel.audit_log a
                     where a.tenant_id = {0} and a.tx < %s
                     order by a.tx, a.seq""".formatted(FRONTIER), DSL.val(tenantId)).fetch();
            Map<UUID, String> canonical = new HashMap<>();
            List<UUID> order = new ArrayList<>();
            for (Record row : rows) {
                UUID id = row.get("id", UUID.class);
                canonical.put(id, row.get("canonical", String.class));
                order.add(id);
            }
            Function<Problem, ChainVerification> fail = problem -> new ChainVerification(tenantId, problem.position() - 1, problem);
            String previous = GENESIS;
            int next = 0; // index into order of the row the next link must seal
            long expectedPosition = 1;
            for (Record4<Long, UUID, String, String> link : links) {
                long position = link.value1();
                UUID auditId = link.value2();
                if (position != expectedPosition) {
                    return fail.apply(new Problem(Kind.DELETED, expectedPosition, null, "Link " + expectedPosition
                            + " is missing from the chain: its audit row and its link were deleted"));
                }
                if (!canonical.containsKey(auditId)) {
                    return fail.apply(new Problem(Kind.DELETED, position, auditId, "The audit row " + auditId
                            + " sealed at position " + position + " is gone"));
                }
                while (next < order.size() && !order.get(next).equals(auditId)) {
                    UUID extra = order.get(next);
                    if (!sealedLater(extra, links, position)) {
                        return fail.apply(new Problem(Kind.INSERTED, position, extra, "The audit row " + extra
                                + " sits before position " + position + " of the sealed chain but was never sealed: it was inserted afterwards"));
                    }
                    next++;
                }
                AuditKey linkKey = keys.get(link.value4());
                String expected = linkKey == null ? null : link(linkKey, previous, canonical.get(auditId));
                if (!link.value3().equals(expected)) {
                    return fail.apply(new Problem(Kind.EDITED, position, auditId, "The audit row " + auditId + " at position "
                            + position + " does not match its link: the row or the chain was changed"
                            + (linkKey == null ? " (the link names key '" + link.value4() + "', which this service does not hold)" : "")));
                }
                previous = expected;
                next++;
                expectedPosition++;
            }
            if (anchor != null) {
                boolean reached = anchor.position() == 0 || links.stream()
                        .anyMatch(l -> l.value1() == anchor.position() && l.value3().equals(anchor.hash()));
                if (!reached) {
                    return new ChainVerification(tenantId, links.size(), new Problem(Kind.TRUNCATED, anchor.position(), null,
                            "The chain has " + links.size() + " links and does not contain the anchor at position "
                                    + anchor.position() + ": its newest part was removed or replaced"));
                }
            }
            // A committed row whose transaction id is not below the snapshot's xmax names a transaction
            // that had not started: the sealer, which seals only below the oldest running transaction,
            // would never reach it, so without this check it would sit in the trail unverified.
            UUID unsealable = dsl.resultQuery("""
                    select a.id from sentinel.audit_log a
                     where a.tenant_id = {0} and a.tx >= pg_snapshot_xmax(pg_current_snapshot())
                     order by a.seq limit 1""", DSL.val(tenantId)).fetchOne(0, UUID.class);
            if (unsealable != null) {
                return new ChainVerification(tenantId, links.size(), new Problem(Kind.UNSEALABLE, links.size() + 1L, unsealable,
                        "The audit row " + unsealable + " names a transaction that had not started when it was"
                                + " written, so it can never be sealed: it was inserted with a forged tx"));
            }
            return new ChainVerification(tenantId, links.size(), null);
        });
    }

    /** A row out of order is fine only if a later link seals it (the chain order is the rows' order). */
    private static boolean sealedLater(UUID id, List<Record4<Long, UUID, String, String>> links, long after) {
        return links.stream().anyMatch(l -> l.value1() > after && l.value2().equals(id));
    }

    static String link(AuditKey key, String previous, String canonical) {
        byte[] message = (previous + "\n" + canonical).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(key.hmac(message));
    }
}
