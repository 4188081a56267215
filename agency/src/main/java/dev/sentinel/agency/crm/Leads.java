package dev.sentinel.agency.crm;

import dev.sentinel.agency.db.enums.LeadStatus;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The current tenant's leads inbox, from {@code tx.attach(Leads.class)}: a thin layer over the generic
 * repository of {@code agency.leads}, so tenant scope, soft deletes, timestamps and the audit row
 * of every change come from there; this adds the pipeline's rules. Every call runs in the caller's
 * transaction. Tenant scope only (the system scope throws
 * {@link dev.sentinel.core.MissingScopeException}). Valid only inside its transaction; not
 * thread-safe.
 *
 * <p>Every operation that writes needs its permission ({@code lead:create}, {@code lead:update},
 * {@code lead:assign}, {@code lead:convert}, {@code lead:delete}) and throws
 * {@link dev.sentinel.core.PermissionDeniedException} before writing anything without it. Reads
 * need none. Soft-deleted leads are invisible to every method here.
 */
public interface Leads {

    /**
     * Creates a lead in status {@link LeadStatus#NEW}. Needs {@code lead:create}, and also
     * {@code lead:assign} if the lead is assigned at creation.
     *
     * @param lead the values
     * @return the stored lead
     * @throws dev.sentinel.core.InvalidInputException if the assignee is not an active member of the tenant
     */
    Lead create(NewLead lead);

    /**
     * Reads a live lead.
     *
     * @param leadId the id
     * @return the lead, or empty if this tenant has no live lead with that id
     */
    Optional<Lead> find(UUID leadId);

    /**
     * Reads a live lead.
     *
     * @param leadId the id
     * @return the lead
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live lead with that id
     */
    Lead get(UUID leadId);

    /**
     * A page of live leads in id (creation) order.
     *
     * @param page which page
     * @return the page
     */
    Page<Lead> list(PageRequest page);

    /**
     * A page of live leads in one status, in id (creation) order: the inbox is
     * {@code list(LeadStatus.NEW, ...)}.
     *
     * @param status the status
     * @param page which page
     * @return the page
     */
    Page<Lead> list(LeadStatus status, PageRequest page);

    /**
     * Live leads whose name or e-mail address starts with {@code text}, ignoring case (as
     * PostgreSQL's {@code lower()} folds it), ordered by name. {@code %}, {@code _} and {@code \}
     * match themselves. The query is served by the tenant-first indexes
     * {@code leads_name_search_idx} and {@code leads_email_search_idx}. A word inside the name is not
     * a prefix: "Lovelace" does not find "Ada Lovelace".
     *
     * @param text 1 to 200 characters
     * @param limit 1 to 100
     * @return the matches, at most {@code limit}
     * @throws dev.sentinel.core.InvalidInputException if {@code text} is blank or too long, or the limit is out of range
     */
    List<Lead> search(String text, int limit);

    /**
     * Moves a lead to another status, as {@link LeadStatuses#canChange} allows. Needs
     * {@code lead:update}.
     *
     * @param leadId the lead
     * @param status the new status; never {@link LeadStatus#WON} (use {@link #convertToClient})
     * @return the updated lead
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live lead with that id
     * @throws dev.sentinel.core.InvalidStateTransitionException if the move is not allowed, naming the moves that are
     */
    Lead changeStatus(UUID leadId, LeadStatus status);

    /**
     * Gives a lead to a member of the tenant. Needs {@code lead:assign}.
     *
     * @param leadId the lead
     * @param memberUserId a user with a membership in this tenant
     * @return the updated lead
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live lead with that id
     * @throws dev.sentinel.core.InvalidInputException if the user is not an active member of this tenant (invited or removed members do not count)
     */
    Lead assign(UUID leadId, UUID memberUserId);

    /**
     * Takes a lead away from its owner. Needs {@code lead:assign}.
     *
     * @param leadId the lead
     * @return the updated lead, unassigned
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live lead with that id
     */
    Lead unassign(UUID leadId);

    /**
     * Converts an open lead into a new client of the tenant ({@code agency.clients}): the client
     * is named after the lead's company, or the person when there is none, with the lead's e-mail as
     * billing address; the lead becomes {@link LeadStatus#WON} and records the client. Needs
     * {@code lead:convert}, which covers creating that client.
     *
     * @param leadId the lead
     * @return the lead and the new client's id
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live lead with that id
     * @throws dev.sentinel.core.InvalidStateTransitionException if the lead is won or lost
     */
    LeadConversion convertToClient(UUID leadId);

    /**
     * Converts an open lead by linking it to an existing client (a returning customer): the lead
     * becomes {@link LeadStatus#WON} and records the client. Needs {@code lead:convert}.
     *
     * @param leadId the lead
     * @param clientId a live client of this tenant
     * @return the lead and the client's id
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live lead or no live client with that id
     * @throws dev.sentinel.core.InvalidStateTransitionException if the lead is won or lost
     */
    LeadConversion convertToClient(UUID leadId, UUID clientId);

    /**
     * Soft-deletes a lead, with who and why; it disappears from every read here. Needs
     * {@code lead:delete}.
     *
     * @param leadId the lead
     * @param reason why, 1 to 1000 characters, such as {@code duplicate}
     * @return the deleted lead
     * @throws dev.sentinel.core.NotFoundException if this tenant has no live lead with that id
     * @throws dev.sentinel.core.InvalidInputException if the reason is blank or too long
     */
    Lead delete(UUID leadId, String reason);
}
