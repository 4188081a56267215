package dev.sentinel.core.audit;

import java.util.UUID;

/**
 * Tamper evidence for the audit trail, from {@code sentinel.auditChain()}.
 *
 * <p><b>Sealing.</b> A sealer links each tenant's audit rows into a chain in a separate
 * append-only table, link {@code n} holding {@code HMAC-SHA256(key, hash(n-1) || row n)}, with a
 * key that the service holds and the database never sees. Rows are chained in the order of their
 * writing transaction's id and sequence number, and only once every transaction older than them
 * has ended ({@code pg_snapshot_xmin}): a transaction that commits late can then never land behind
 * the sealed head. That is why writers take no lock and pay nothing for the chain; the sealer runs
 * later, on its own connection, and two sealers of one tenant exclude each other with an advisory
 * lock.
 *
 * <p><b>Verifying.</b> {@link #verify(UUID)} recomputes the chain from the rows and names the first
 * row that was edited, deleted, or inserted inside the sealed range; a chain recomputed without the
 * key fails at its first link. Deleting the newest rows together with their links leaves a shorter
 * chain that verifies on its own: only {@link #verify(ChainAnchor)} against an anchor exported
 * earlier shows it. Rows written after the newest seal are not covered until the next seal.
 *
 * <p><b>Checkpoints.</b> With a signing key ({@code auditSigningKey(...)}), {@link #checkpoint(UUID)}
 * signs the chain up to its head so that a party without the HMAC key (a customer, an auditor) can
 * verify it with the public key alone ({@link AuditCheckpoint}); audit retention removes rows behind
 * a retention checkpoint, and {@link #verify(UUID)} then starts from the newest one, checks its
 * signature, and checks that the chain still reaches every later checkpoint (a cut reported as
 * {@link ChainVerification.Kind#TRUNCATED}).
 *
 * <p>Thread-safe.
 */
public interface AuditChain {

    /**
     * Seals a tenant's pending audit rows.
     *
     * @param tenantId the tenant
     * @return the number of links added (0 if another sealer holds the tenant right now)
     */
    int seal(UUID tenantId);

    /**
     * Seals the pending audit rows of every tenant that has some.
     *
     * @return the number of links added
     */
    int sealAll();

    /**
     * The current head of a tenant's chain, to export.
     *
     * @param tenantId the tenant
     * @return the anchor; position 0 if nothing is sealed yet
     */
    ChainAnchor anchor(UUID tenantId);

    /**
     * Seals a tenant's pending rows, then recomputes its chain from the newest retention checkpoint
     * (or the start) to the head and signs a checkpoint there, stored in {@code audit_checkpoint}.
     *
     * @param tenantId the tenant
     * @return the checkpoint
     * @throws dev.sentinel.core.ConfigurationException if no signing key was configured
     * @throws AuditChainBrokenException if a link on the way does not verify; nothing is signed
     */
    AuditCheckpoint checkpoint(UUID tenantId);

    /**
     * Verifies a tenant's chain against its audit rows.
     *
     * @param tenantId the tenant
     * @return intact, or the first problem
     */
    ChainVerification verify(UUID tenantId);

    /**
     * Verifies a tenant's chain and that it still contains an anchor exported earlier.
     *
     * @param anchor the anchor
     * @return intact, or the first problem ({@link ChainVerification.Kind#TRUNCATED} if the anchor is gone)
     */
    ChainVerification verify(ChainAnchor anchor);
}
