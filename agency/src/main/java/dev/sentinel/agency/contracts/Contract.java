package dev.sentinel.agency.contracts;

import dev.sentinel.agency.db.tables.records.ContractVersionsRecord;
import dev.sentinel.agency.db.tables.records.ContractsRecord;
import java.util.List;
import java.util.Optional;

/**
 * A contract with all its versions, read in one query ({@link Contracts#details}). The records are
 * detached copies.
 *
 * @param contract the contract
 * @param versions its versions, v1 first
 */
public record Contract(ContractsRecord contract, List<ContractVersionsRecord> versions) {

    /** Copies the list. */
    public Contract {
        versions = List.copyOf(versions);
    }

    /**
     * The newest version.
     *
     * @return it, or empty for a contract without versions
     */
    public Optional<ContractVersionsRecord> current() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getLast());
    }

    /**
     * The version that was signed.
     *
     * @return it, or empty unless the contract is signed
     */
    public Optional<ContractVersionsRecord> signedVersion() {
        Integer signed = contract.getSignedVersionNumber();
        return signed == null ? Optional.empty()
                : versions.stream().filter(v -> signed.equals(v.getVersionNumber())).findFirst();
    }
}
