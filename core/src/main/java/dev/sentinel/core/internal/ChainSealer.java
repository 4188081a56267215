package dev.sentinel.core.internal;

import static dev.sentinel.core.db.Tables.AUDIT_CHAIN;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Isolation;
import dev.sentinel.core.Scope;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.audit.AuditChain;
import dev.sentinel.core.audit.AuditChainBrokenException;
import dev.sentinel.core.audit.AuditCheckpoint;
import dev.sentinel.core.audit.AuditCheckpoint.Purpose;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.AuditPublicKey;
import dev.sentinel.core.audit.AuditSigningKey;
import dev.sentinel.core.audit.ChainAnchor;
import dev.sentinel.core.audit.ChainVerification;
import dev.sentinel.core.audit.ChainVerification.Kind;
import dev.sentinel.core.audit.ChainVerification.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
    private final AuditSigningKey signing;
    private final List<AuditPublicKey> publicKeys;
    private final Clock clock;

    /**
     * Creates a sealer without a signing key.
     *
     * @param system a system scope of the service's Sentinel
     * @param current the key new links are computed with
     * @param retired older keys, still accepted when verifying links they computed
     */
    public ChainSealer(Scope system, AuditKey current, List<AuditKey> retired) {
        this(system, current, retired, null, List.of(), Clock.systemUTC());
    }

    /**
     * Creates a sealer.
     *
     * @param system a system scope of the service's Sentinel
     * @param current the key new links are computed with
     * @param retired older keys, still accepted when verifying links they computed
     * @param signing the key pair that signs checkpoints, or {@code null}
     * @param retiredPublic public keys of older signing pairs, accepted when verifying their checkpoints
     * @param clock the clock of the checkpoints' signing time
     */
    public ChainSealer(Scope system, AuditKey current, List<AuditKey> retired, AuditSigningKey signing,
            List<AuditPublicKey> retiredPublic, Clock clock) {
        this.signing = signing;
        List<AuditPublicKey> known = new ArrayList<>(retiredPublic);
        if (signing != null) {
            known.add(signing.publicKey());
        }
        this.publicKeys = List.copyOf(known);
        this.clock = clock;
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
            // Retention may have removed every link: the chain goes on from its checkpoint, not from the start.
            AuditCheckpoint start = retentionStart(checkpoints(dsl, tenantId), Long.MAX_VALUE);
            if (start != null && start.position() > position) {
                position = start.position();
                previous = start.chainHash();
            }
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
            AuditCheckpoint start = retentionStart(checkpoints(tx.dsl(), tenantId), Long.MAX_VALUE);
            if (start != null && (head == null || head.get(AUDIT_CHAIN.POSITION) < start.position())) {
                return new ChainAnchor(tenantId, start.position(), start.chainHash());
            }
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
            List<AuditCheckpoint> checkpoints = checkpoints(dsl, tenantId);
            // Retention removed the rows up to its newest checkpoint (or is removing them): verify from there.
            AuditCheckpoint start = retentionStart(checkpoints, Long.MAX_VALUE);
            long from = start == null ? 0 : start.position();
            if (start != null && !start.verifiedBy(publicKeys)) {
                return new ChainVerification(tenantId, 0, new Problem(Kind.CHECKPOINT, from, null, "The retention checkpoint at"
                        + " position " + from + " does not verify" + unknownKey(start) + ": the rows before it cannot be vouched for"));
            }
            List<Record4<Long, UUID, String, String>> links = dsl.select(AUDIT_CHAIN.POSITION, AUDIT_CHAIN.AUDIT_ID,
                    AUDIT_CHAIN.HASH, AUDIT_CHAIN.KEY_ID).from(AUDIT_CHAIN).where(AUDIT_CHAIN.TENANT_ID.eq(tenantId))
                    .and(AUDIT_CHAIN.POSITION.gt(from)).orderBy(AUDIT_CHAIN.POSITION).fetch();
            // Every finished row, in chain order, but those behind the retention checkpoint: the sealed
            // ones must match the links one for one.
            List<Record> rows = dsl.resultQuery("""
                    select a.id, sentinel.audit_canonical(row(a.*)::sentinel.audit_log) as canonical
                      from sentinel.audit_log a
                     where a.tenant_id = {0} and a.tx < %s
                       and not exists (select 1 from sentinel.audit_chain c
                                        where c.tenant_id = a.tenant_id and c.audit_id = a.id and c.position <= {1})
                     order by a.tx, a.seq""".formatted(FRONTIER), DSL.val(tenantId), DSL.val(from)).fetch();
            Map<UUID, String> canonical = new HashMap<>();
            List<UUID> order = new ArrayList<>();
            for (Record row : rows) {
                UUID id = row.get("id", UUID.class);
                canonical.put(id, row.get("canonical", String.class));
                order.add(id);
            }
            Function<Problem, ChainVerification> fail = problem -> new ChainVerification(tenantId,
                    problem.position() - 1 - from, problem);
            String previous = start == null ? GENESIS : start.chainHash();
            int next = 0; // index into order of the row the next link must seal
            long expectedPosition = from + 1;
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
                boolean reached = anchor.position() <= from || links.stream()
                        .anyMatch(l -> l.value1() == anchor.position() && l.value3().equals(anchor.hash()));
                if (!reached) {
                    return new ChainVerification(tenantId, links.size(), new Problem(Kind.TRUNCATED, anchor.position(), null,
                            "The chain has " + links.size() + " links and does not contain the anchor at position "
                                    + anchor.position() + ": its newest part was removed or replaced"));
                }
            }
            for (AuditCheckpoint checkpoint : checkpoints) {
                if (checkpoint.position() <= from) {
                    continue;
                }
                if (!checkpoint.verifiedBy(publicKeys)) {
                    return new ChainVerification(tenantId, links.size(), new Problem(Kind.CHECKPOINT, checkpoint.position(), null,
                            "The checkpoint at position " + checkpoint.position() + " signed at " + checkpoint.signedAt()
                                    + " does not verify" + unknownKey(checkpoint)));
                }
                boolean reached = links.stream().anyMatch(l -> l.value1() == checkpoint.position()
                        && l.value3().equals(checkpoint.chainHash()));
                if (!reached) {
                    return new ChainVerification(tenantId, links.size(), new Problem(Kind.TRUNCATED, checkpoint.position(), null,
                            "The chain does not contain the link that the checkpoint at position " + checkpoint.position()
                                    + " signed: its newest part was removed or replaced"));
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

    private String unknownKey(AuditCheckpoint checkpoint) {
        return publicKeys.stream().anyMatch(k -> k.id().equals(checkpoint.keyId())) ? ""
                : " (it names signing key '" + checkpoint.keyId() + "', whose public key this service does not hold)";
    }

    /**
     * A tenant's checkpoints, by position.
     *
     * @param dsl a transaction's context that sees the tenant's rows
     * @param tenantId the tenant
     * @return the checkpoints, oldest position first
     */
    public static List<AuditCheckpoint> checkpoints(DSLContext dsl, UUID tenantId) {
        return dsl.resultQuery("""
                select purpose, position, chain_hash, digest, key_id, signed_at, signature
                  from sentinel.audit_checkpoint where tenant_id = {0} order by position, signed_at""", DSL.val(tenantId))
                .fetch(r -> new AuditCheckpoint(tenantId, Purpose.of(r.get(0, String.class)), r.get(1, Long.class),
                        r.get(2, String.class), r.get(3, String.class), r.get(4, String.class),
                        r.get(5, OffsetDateTime.class).toInstant(), r.get(6, String.class)));
    }

    /**
     * The newest retention checkpoint at or below a position.
     *
     * @param checkpoints a tenant's checkpoints
     * @param atMost the highest position to consider
     * @return the checkpoint, or {@code null} if retention never ran there
     */
    public static AuditCheckpoint retentionStart(List<AuditCheckpoint> checkpoints, long atMost) {
        AuditCheckpoint start = null;
        for (AuditCheckpoint checkpoint : checkpoints) {
            if (checkpoint.purpose() == Purpose.RETENTION && checkpoint.position() <= atMost
                    && (start == null || checkpoint.position() >= start.position())) {
                start = checkpoint;
            }
        }
        return start;
    }

    @Override
    public AuditCheckpoint checkpoint(UUID tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        requireSigning();
        sealFully(tenantId);
        return checkpoint(tenantId, Purpose.CHECKPOINT, Long.MAX_VALUE);
    }

    /**
     * Seals a tenant's pending rows in as many batches as it takes.
     *
     * @param tenantId the tenant
     */
    public void sealFully(UUID tenantId) {
        while (seal(tenantId) == BATCH) {
            // the next batch
        }
    }

    /**
     * Checks that a signing key is configured, for the operations that sign checkpoints.
     *
     * @throws ConfigurationException if none is
     */
    public void requireSigning() {
        if (signing == null) {
            throw new ConfigurationException("Sentinel: no audit signing key; configure auditSigningKey(AuditSigningKey.parse(...))"
                    + " with an Ed25519 key pair kept outside the database to sign checkpoints of the audit chain");
        }
    }

    /**
     * Signs a checkpoint at a position after recomputing the chain up to it: from the newest
     * retention checkpoint below it (whose signature must verify) or the start, every link's HMAC
     * and the digest, streaming the rows. Stored in {@code audit_checkpoint} in the same transaction.
     *
     * @param tenantId the tenant
     * @param purpose why
     * @param upTo the position, or {@code Long.MAX_VALUE} for the head
     * @return the checkpoint
     * @throws AuditChainBrokenException if a link does not verify or a row or link is missing
     */
    public AuditCheckpoint checkpoint(UUID tenantId, Purpose purpose, long upTo) {
        requireSigning();
        return system.inTransaction(tx -> {
            DSLContext dsl = tx.dsl();
            AuditCheckpoint start = retentionStart(checkpoints(dsl, tenantId), upTo);
            if (start != null && !start.verifiedBy(publicKeys)) {
                throw new AuditChainBrokenException("Audit chain of tenant " + tenantId + ": the retention checkpoint at position "
                        + start.position() + " does not verify" + unknownKey(start) + "; nothing was signed. Run verify(tenantId).");
            }
            long[] position = {start == null ? 0 : start.position()};
            String[] hash = {start == null ? GENESIS : start.chainHash()};
            String[] digest = {start == null ? GENESIS : start.digest()};
            ChainWalk.walk(dsl, tenantId, position[0], upTo, link -> {
                String problem = null;
                AuditKey linkKey = keys.get(link.keyId());
                if (link.position() != position[0] + 1) {
                    problem = "link " + (position[0] + 1) + " is missing";
                } else if (link.canonical() == null) {
                    problem = "the audit row sealed at position " + link.position() + " is gone";
                } else if (linkKey == null || !link.hash().equals(link(linkKey, hash[0], link.canonical()))) {
                    problem = "the audit row at position " + link.position() + " does not match its link";
                }
                if (problem != null) {
                    throw new AuditChainBrokenException("Audit chain of tenant " + tenantId + ": " + problem
                            + "; nothing was signed. Run verify(tenantId) to see the first problem.");
                }
                position[0] = link.position();
                hash[0] = link.hash();
                digest[0] = AuditCheckpoint.nextDigest(digest[0], link.canonical());
            });
            if (upTo != Long.MAX_VALUE && position[0] != upTo) {
                throw new AuditChainBrokenException("Audit chain of tenant " + tenantId + ": it ends at position " + position[0]
                        + ", before position " + upTo + "; nothing was signed. Run verify(tenantId).");
            }
            Instant signedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            AuditCheckpoint unsigned = new AuditCheckpoint(tenantId, purpose, position[0], hash[0], digest[0], signing.id(), signedAt, "");
            AuditCheckpoint signed = new AuditCheckpoint(tenantId, purpose, position[0], hash[0], digest[0], signing.id(), signedAt,
                    signing.sign(unsigned.signedText()));
            dsl.query("""
                    insert into sentinel.audit_checkpoint (tenant_id, id, purpose, position, chain_hash, digest, key_id, signed_at, signature)
                    values ({0}, gen_random_uuid(), {1}, {2}, {3}, {4}, {5}, {6}, {7})""",
                    DSL.val(tenantId), DSL.val(purpose.text()), DSL.val(signed.position()), DSL.val(signed.chainHash()),
                    DSL.val(signed.digest()), DSL.val(signed.keyId()), DSL.val(OffsetDateTime.ofInstant(signedAt, ZoneOffset.UTC)),
                    DSL.val(signed.signature())).execute();
            return signed;
        });
    }

    /**
     * The public keys this sealer verifies checkpoints with.
     *
     * @return current and retired
     */
    public List<AuditPublicKey> publicKeys() {
        return publicKeys;
    }

    /**
     * The signing key.
     *
     * @return the key
     * @throws ConfigurationException if none was configured
     */
    public AuditSigningKey signingKey() {
        requireSigning();
        return signing;
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
