package dev.sentinel.agency.crm;

import dev.sentinel.agency.db.enums.LeadSource;
import dev.sentinel.core.InvalidInputException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A lead to create. Immutable; each method returns a validated copy, so a bad value fails where it
 * is set, before anything reaches the database.
 *
 * <pre>{@code
 * tx.attach(Leads.class).create(NewLead.named("Ada Lovelace").email("ada@example.com").company("Analytical Engines")
 *         .source(LeadSource.WEBSITE));
 * }</pre>
 *
 * @param name the person's name, 1 to 200 characters (required)
 * @param email an e-mail address ({@code local@domain}, at most 320 characters), or {@code null}
 * @param phone at most 50 characters, or {@code null}
 * @param company at most 200 characters, or {@code null}
 * @param source where the lead came from; default {@link LeadSource#OTHER}
 * @param notes at most 10,000 characters, or {@code null}
 * @param assignedTo a member of the tenant to own the lead, or {@code null}
 */
public record NewLead(String name, String email, String phone, String company, LeadSource source, String notes,
        UUID assignedTo) {

    /** The shape {@code leads_email_format} accepts: no spaces, one {@code @} with text on both sides. */
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    /**
     * Validates the values.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewLead {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("NewLead: name must be 1 to 200 characters and not blank");
        }
        if (email != null && (email.length() > 320 || !EMAIL.matcher(email).matches())) {
            throw new InvalidInputException("NewLead: email '" + email + "' is not an e-mail address (local@domain,"
                    + " at most 320 characters); pass null if there is none");
        }
        if (phone != null && (phone.isBlank() || phone.length() > 50)) {
            throw new InvalidInputException("NewLead: phone must be 1 to 50 characters, or null");
        }
        if (company != null && (company.isBlank() || company.length() > 200)) {
            throw new InvalidInputException("NewLead: company must be 1 to 200 characters, or null");
        }
        if (source == null) {
            throw new InvalidInputException("NewLead: source is null; use LeadSource.OTHER when unknown");
        }
        if (notes != null && notes.length() > 10_000) {
            throw new InvalidInputException("NewLead: notes are limited to 10,000 characters");
        }
    }

    /**
     * A lead with only a name, source {@link LeadSource#OTHER}.
     *
     * @param name the person's name
     * @return the new lead
     */
    public static NewLead named(String name) {
        return new NewLead(name, null, null, null, LeadSource.OTHER, null, null);
    }

    /**
     * Sets the e-mail address.
     *
     * @param email the address, or {@code null}
     * @return a copy
     */
    public NewLead email(String email) {
        return new NewLead(name, email, phone, company, source, notes, assignedTo);
    }

    /**
     * Sets the phone number.
     *
     * @param phone the number, or {@code null}
     * @return a copy
     */
    public NewLead phone(String phone) {
        return new NewLead(name, email, phone, company, source, notes, assignedTo);
    }

    /**
     * Sets the company.
     *
     * @param company the company's name, or {@code null}
     * @return a copy
     */
    public NewLead company(String company) {
        return new NewLead(name, email, phone, company, source, notes, assignedTo);
    }

    /**
     * Sets where the lead came from.
     *
     * @param source the source
     * @return a copy
     */
    public NewLead source(LeadSource source) {
        return new NewLead(name, email, phone, company, source, notes, assignedTo);
    }

    /**
     * Sets the notes.
     *
     * @param notes free text, or {@code null}
     * @return a copy
     */
    public NewLead notes(String notes) {
        return new NewLead(name, email, phone, company, source, notes, assignedTo);
    }

    /**
     * Assigns the lead at creation (this needs the {@code lead:assign} permission as well).
     *
     * @param memberUserId a member of the tenant, or {@code null}
     * @return a copy
     */
    public NewLead assignedTo(UUID memberUserId) {
        return new NewLead(name, email, phone, company, source, notes, memberUserId);
    }
}
