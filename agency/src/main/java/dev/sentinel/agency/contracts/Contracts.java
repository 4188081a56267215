package dev.sentinel.agency.contracts;

import dev.sentinel.agency.db.enums.SignatureProvider;
import dev.sentinel.agency.db.enums.SignatureState;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.UniqueViolationException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The contracts of the transaction's tenant, from {@code tx.attach(Contracts.class)}.
 *
 * <p>A contract's text lives in numbered versions (v1, v2, ...) that never change once written: a
 * new version is a new row, and the database rejects any UPDATE or DELETE of a version (only purging
 * the contract removes its versions). Versions are added only while the contract is a draft.
 *
 * <p>The e-signature state ({@link SignatureState}) moves {@code draft -> sent} (provider, envelope
 * id and the newest version recorded) {@code -> signed | declined | voided | expired}, and from
 * declined, voided or expired back to draft with {@link #reopen}. Signed is final and records the
 * version signed. Any other change throws {@link InvalidStateTransitionException} and writes
 * nothing; a database trigger enforces the same machine for raw SQL. Each transition writes an audit
 * entry {@code contract.<transition>} naming the version it concerns, besides the row's own audit row.
 *
 * <p>Every method that changes data checks its permission first ({@code contract:write},
 * {@code contract:send}, {@code contract:sign}, {@code contract:delete}; for a contract of a project,
 * a grant narrowed to that project counts) and throws {@link PermissionDeniedException} before
 * writing. Every {@link Contract} returned carries all the contract's versions, read with it in one
 * statement. Valid only inside its transaction; tenant scope only. Not thread-safe.
 */
public interface Contracts {

    /**
     * Creates a draft contract without versions. Requires {@code contract:write} (for a contract of a
     * project, a grant narrowed to that project counts).
     *
     * @param contract the terms
     * @return the stored contract
     * @throws InvalidInputException if the client or project is not a live one of the tenant
     */
    Contract create(NewContract contract);

    /**
     * Replaces the terms (title, client, project, period) of a contract, with optimistic locking.
     * Signature fields change only through the transitions. Requires {@code contract:write}, for the
     * contract's project and for a new project.
     *
     * @param contractId the contract
     * @param expectedVersion the {@link Contract#version()} the change was based on
     * @param change the new terms: start from {@link Contract#change()}
     * @return the stored contract
     * @throws InvalidInputException if the client or project is not a live one of the tenant
     * @throws InvalidStateTransitionException if the contract is signed (final)
     * @throws NotFoundException if no such live contract is visible
     * @throws StaleRecordException if the contract changed since that version was read
     */
    Contract update(UUID contractId, int expectedVersion, ContractChange change);

    /**
     * Adds the next version (v1 for a new contract). Requires {@code contract:write}.
     *
     * @param contractId the contract
     * @param content the body or a document reference
     * @param changeNote what changed from the previous version, or {@code null}
     * @return the stored version
     * @throws InvalidStateTransitionException unless the contract is a draft
     * @throws NotFoundException if no such live contract is visible
     */
    ContractVersion addVersion(UUID contractId, ContractContent content, String changeNote);

    /**
     * Sends the newest version for signature: draft to sent. Requires {@code contract:send}.
     *
     * @param contractId the contract
     * @param provider who collects the signature
     * @param envelopeId the provider's envelope id (required for DocuSign and HelloSign, unique per
     *     tenant and provider), or {@code null} for a manual signature
     * @param expiresAt when the request lapses (in the future), or {@code null} for never
     * @return the stored contract
     * @throws InvalidStateTransitionException unless the contract is a draft with at least one version
     * @throws InvalidInputException if the envelope id is missing or too long, or the expiry is not
     *     in the future
     * @throws UniqueViolationException if another contract of the tenant has the envelope id
     */
    Contract send(UUID contractId, SignatureProvider provider, String envelopeId, Instant expiresAt);

    /**
     * Records that the version sent was signed: sent to signed. Requires {@code contract:sign}.
     *
     * @param contractId the contract
     * @param signedAt when the last party signed (as the provider reports it), not after the
     *     request's expiry, not in the future
     * @return the stored contract, with the signed version
     * @throws InvalidStateTransitionException unless the contract is sent and its request had not
     *     expired when it was signed
     */
    Contract markSigned(UUID contractId, Instant signedAt);

    /**
     * Records that the signer declined: sent to declined. Requires {@code contract:sign}.
     *
     * @param contractId the contract
     * @param reason the signer's reason, kept in the audit entry, or {@code null}
     * @return the stored contract
     * @throws InvalidStateTransitionException unless the contract is sent
     */
    Contract markDeclined(UUID contractId, String reason);

    /**
     * Withdraws the signature request: sent to voided. Requires {@code contract:send}.
     *
     * @param contractId the contract
     * @param reason why, kept in the audit entry, or {@code null}
     * @return the stored contract
     * @throws InvalidStateTransitionException unless the contract is sent
     */
    Contract voidRequest(UUID contractId, String reason);

    /**
     * Records that the request lapsed unsigned (the provider says so, or its expiry passed): sent to
     * expired. Requires {@code contract:sign}.
     *
     * @param contractId the contract
     * @return the stored contract
     * @throws InvalidStateTransitionException unless the contract is sent
     */
    Contract markExpired(UUID contractId);

    /**
     * Marks every sent contract of the tenant whose request's expiry has passed (by the service's
     * clock) as expired, each audited like {@link #markExpired}. Requires {@code contract:sign}; meant
     * for a scheduled job.
     *
     * @return the contracts that expired
     */
    List<Contract> expireOverdue();

    /**
     * Makes a declined, voided or expired contract a draft again, so that a version can be added and
     * it can be sent anew; the last request's provider, envelope and expiry are cleared (the audit
     * trail keeps them). Requires {@code contract:send}.
     *
     * @param contractId the contract
     * @return the stored contract
     * @throws InvalidStateTransitionException unless the contract is declined, voided or expired
     */
    Contract reopen(UUID contractId);

    /**
     * Soft-deletes a contract. Not while its request is out: void it first. Requires
     * {@code contract:delete}.
     *
     * @param contractId the contract
     * @param reason why, 1 to 1000 characters
     * @return the deleted contract
     * @throws InvalidStateTransitionException if it is sent, or deleted already
     * @throws NotFoundException if no such contract is visible
     */
    Contract softDelete(UUID contractId, String reason);

    /**
     * Brings a soft-deleted contract back. Requires {@code contract:delete}.
     *
     * @param contractId the contract
     * @return the restored contract
     * @throws InvalidStateTransitionException if it is not deleted
     * @throws NotFoundException if no such contract is visible
     */
    Contract restore(UUID contractId);

    /**
     * The live contract with this id.
     *
     * @param contractId the contract
     * @return the contract, or empty (also for another tenant's id)
     */
    Optional<Contract> find(UUID contractId);

    /**
     * The live contract with this id.
     *
     * @param contractId the contract
     * @return the contract
     * @throws NotFoundException if no such live contract is visible
     */
    Contract get(UUID contractId);

    /**
     * The live contract a provider's webhook refers to.
     *
     * @param provider the provider
     * @param envelopeId its envelope id
     * @return the contract whose current request has that envelope, or empty
     */
    Optional<Contract> byEnvelope(SignatureProvider provider, String envelopeId);

    /**
     * A page of live contracts, optionally in one signature state, in creation order.
     *
     * @param state the state, or {@code null} for all
     * @param page which page
     * @return the page
     */
    Page<Contract> list(SignatureState state, PageRequest page);

    /**
     * The versions of a contract, v1 first.
     *
     * @param contractId the contract
     * @return the versions; empty for an unknown contract
     */
    List<ContractVersion> versions(UUID contractId);

}
