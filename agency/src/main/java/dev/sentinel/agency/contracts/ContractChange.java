package dev.sentinel.agency.contracts;

import dev.sentinel.core.InvalidInputException;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The new terms of a contract for {@link Contracts#update}, which replaces every one of them:
 * start from {@link Contract#change()} (the terms as they are) and change what differs. The signature
 * fields change only through the transitions. Validated when made; the database checks the same rules.
 * Immutable and thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * Contract renamed = tx.attach(Contracts.class).update(msa.id(), msa.version(), msa.change().withTitle("MSA 2027"));
 * }</pre>
 *
 * @param title 1 to 300 characters, not blank
 * @param clientId the counterparty (a live client), or {@code null}
 * @param projectId the project the contract covers (a live project), or {@code null}
 * @param startsOn the first day of the term, or {@code null}
 * @param endsOn the last day of the term (not before {@code startsOn}), or {@code null}
 */
public record ContractChange(String title, UUID clientId, UUID projectId, LocalDate startsOn, LocalDate endsOn) {

    /**
     * Validates the terms.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public ContractChange {
        ContractRules.validate("ContractChange", title, startsOn, endsOn);
    }

    /**
     * Sets the title.
     *
     * @param value 1 to 300 characters
     * @return a validated copy
     */
    public ContractChange withTitle(String value) {
        return new ContractChange(value, clientId, projectId, startsOn, endsOn);
    }

    /**
     * Sets the counterparty.
     *
     * @param value a live client's id, or {@code null}
     * @return a copy
     */
    public ContractChange withClientId(UUID value) {
        return new ContractChange(title, value, projectId, startsOn, endsOn);
    }

    /**
     * Sets the project the contract covers.
     *
     * @param value a live project's id, or {@code null}
     * @return a copy
     */
    public ContractChange withProjectId(UUID value) {
        return new ContractChange(title, clientId, value, startsOn, endsOn);
    }

    /**
     * Sets the term.
     *
     * @param first the first day, or {@code null}
     * @param last the last day, not before the first, or {@code null}
     * @return a validated copy
     */
    public ContractChange withTerm(LocalDate first, LocalDate last) {
        return new ContractChange(title, clientId, projectId, first, last);
    }
}
