package dev.sentinel.agency.contracts;

import dev.sentinel.core.InvalidInputException;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A contract to create with {@link Contracts#create}, as a draft without versions (add them with
 * {@link Contracts#addVersion}). Validated when made; the database checks the same rules. Immutable and
 * thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * Contract msa = tx.attach(Contracts.class).create(NewContract.of("Master services agreement").withClientId(acme.id()));
 * }</pre>
 *
 * @param title 1 to 300 characters, not blank
 * @param clientId the counterparty (a live client), or {@code null}
 * @param projectId the project the contract covers (a live project), or {@code null}
 * @param startsOn the first day of the term, or {@code null}
 * @param endsOn the last day of the term (not before {@code startsOn}), or {@code null}
 */
public record NewContract(String title, UUID clientId, UUID projectId, LocalDate startsOn, LocalDate endsOn) {

    /**
     * Validates the terms.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewContract {
        ContractRules.validate("NewContract", title, startsOn, endsOn);
    }

    /**
     * A contract with a title and nothing else.
     *
     * @param title 1 to 300 characters
     * @return the terms
     */
    public static NewContract of(String title) {
        return new NewContract(title, null, null, null, null);
    }

    /**
     * Sets the title.
     *
     * @param value 1 to 300 characters
     * @return a validated copy
     */
    public NewContract withTitle(String value) {
        return new NewContract(value, clientId, projectId, startsOn, endsOn);
    }

    /**
     * Sets the counterparty.
     *
     * @param value a live client's id, or {@code null}
     * @return a copy
     */
    public NewContract withClientId(UUID value) {
        return new NewContract(title, value, projectId, startsOn, endsOn);
    }

    /**
     * Sets the project the contract covers.
     *
     * @param value a live project's id, or {@code null}
     * @return a copy
     */
    public NewContract withProjectId(UUID value) {
        return new NewContract(title, clientId, value, startsOn, endsOn);
    }

    /**
     * Sets the term.
     *
     * @param first the first day, or {@code null}
     * @param last the last day, not before the first, or {@code null}
     * @return a validated copy
     */
    public NewContract withTerm(LocalDate first, LocalDate last) {
        return new NewContract(title, clientId, projectId, first, last);
    }
}
