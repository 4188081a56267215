package dev.sentinel.agency.contracts;

import dev.sentinel.agency.db.enums.SignatureProvider;
import dev.sentinel.agency.db.enums.SignatureState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A contract as stored, with all its versions, read in one query. Immutable and thread-safe.
 *
 * @param id the id
 * @param title 1 to 300 characters
 * @param clientId the counterparty, if it is a client, or {@code null}
 * @param projectId the project the contract covers, or {@code null}
 * @param startsOn the first day of the term, or {@code null}
 * @param endsOn the last day of the term, or {@code null}
 * @param signatureStatus where it is in the e-signature machine ({@link Signatures})
 * @param signatureProvider who collects the signature of the current request, or {@code null} while a draft
 * @param signatureEnvelopeId the provider's envelope id of the current request, or {@code null}
 * @param sentVersionNumber the version sent for signature, or {@code null} while a draft
 * @param signedVersionNumber the version that was signed, or {@code null} unless signed
 * @param signedAt when the last party signed, or {@code null} unless signed
 * @param signatureExpiresAt when the current request lapses, or {@code null}
 * @param version the optimistic-locking version: pass it to {@link Contracts#update}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param deletedAt when it was soft-deleted, or {@code null} while live
 * @param versions its versions, v1 first
 */
public record Contract(UUID id, String title, UUID clientId, UUID projectId, LocalDate startsOn, LocalDate endsOn,
        SignatureState signatureStatus, SignatureProvider signatureProvider, String signatureEnvelopeId,
        Integer sentVersionNumber, Integer signedVersionNumber, Instant signedAt, Instant signatureExpiresAt, int version,
        Instant createdAt, Instant updatedAt, Instant deletedAt, List<ContractVersion> versions) {

    /** Copies the list, so the record stays immutable. */
    public Contract {
        versions = List.copyOf(versions);
    }

    /**
     * The contract's terms as they are, to change and pass to {@link Contracts#update}.
     *
     * @return the terms, validated
     */
    public ContractChange change() {
        return new ContractChange(title, clientId, projectId, startsOn, endsOn);
    }

    /**
     * The newest version.
     *
     * @return it, or empty for a contract without versions
     */
    public Optional<ContractVersion> current() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getLast());
    }

    /**
     * The version that was signed.
     *
     * @return it, or empty unless the contract is signed
     */
    public Optional<ContractVersion> signedVersion() {
        return signedVersionNumber == null ? Optional.empty()
                : versions.stream().filter(v -> signedVersionNumber == v.versionNumber()).findFirst();
    }
}
