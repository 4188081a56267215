package dev.sentinel.agency.internal.crm;

import static dev.sentinel.agency.db.Tables.CLIENTS;
import static dev.sentinel.agency.db.Tables.LEADS;

import dev.sentinel.agency.crm.Lead;
import dev.sentinel.agency.crm.LeadConversion;
import dev.sentinel.agency.crm.LeadStatuses;
import dev.sentinel.agency.crm.Leads;
import dev.sentinel.agency.crm.NewLead;
import dev.sentinel.agency.db.enums.LeadStatus;
import dev.sentinel.agency.db.tables.records.ClientsRecord;
import dev.sentinel.agency.db.tables.records.LeadsRecord;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import dev.sentinel.core.db.enums.MemberStatus;
import dev.sentinel.core.identity.Member;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SelectLimitPercentStep;
import org.jooq.impl.DSL;

/**
 * {@link Leads} over the generic repository of {@code agency.leads}. Writes that depend on the
 * current status read the row {@code FOR UPDATE} first, so two concurrent moves of one lead are
 * applied one after the other and each is checked against the status the other left.
 */
public final class LeadsImpl implements Leads {

    private static final int MAX_SEARCH = 200;

    private final Tx tx;
    private final UUID tenant;

    /**
     * Binds the inbox to a transaction.
     *
     * @param tx the transaction, of a tenant scope
     * @throws dev.sentinel.core.MissingScopeException in the system scope
     */
    public LeadsImpl(Tx tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.attach(Leads.class)");
    }

    @Override
    public Lead create(NewLead lead) {
        if (lead == null) {
            throw new InvalidInputException("create: lead is null; start from NewLead.named(name)");
        }
        tx.authorize("lead:create");
        if (lead.assignedTo() != null) {
            tx.authorize("lead:assign");
            requireMember(lead.assignedTo(), "create");
        }
        LeadsRecord record = new LeadsRecord()
                .setName(lead.name())
                .setEmail(lead.email())
                .setPhone(lead.phone())
                .setCompany(lead.company())
                .setSource(lead.source())
                .setNotes(lead.notes())
                .setAssignedTo(lead.assignedTo());
        return lead(repository().insert(record));
    }

    @Override
    public Optional<Lead> find(UUID leadId) {
        requireId(leadId, "find");
        return repository().find(leadId).map(LeadsImpl::lead);
    }

    @Override
    public Lead get(UUID leadId) {
        return find(leadId).orElseThrow(() -> notFound(leadId));
    }

    @Override
    public Page<Lead> list(PageRequest page) {
        return map(repository().list(DSL.noCondition(), requirePage(page)));
    }

    @Override
    public Page<Lead> list(LeadStatus status, PageRequest page) {
        if (status == null) {
            throw new InvalidInputException("list: status is null; call list(page) for every status");
        }
        return map(repository().list(LEADS.STATUS.eq(status), requirePage(page)));
    }

    @Override
    public List<Lead> search(String text, int limit) {
        return searchQuery(tx.dsl(), tenant, text, limit).fetch().map(LeadsImpl::lead);
    }

    /**
     * The query {@link #search} runs, public so that a test can ask PostgreSQL for its plan.
     *
     * @param dsl the transaction's DSL
     * @param tenant the tenant
     * @param text the prefix
     * @param limit 1 to 100
     * @return the query
     */
    public static SelectLimitPercentStep<LeadsRecord> searchQuery(DSLContext dsl, UUID tenant, String text, int limit) {
        if (text == null || text.isBlank() || text.length() > MAX_SEARCH) {
            throw new InvalidInputException("search: text must be 1 to " + MAX_SEARCH + " characters and not blank");
        }
        if (limit < 1 || limit > 100) {
            throw new InvalidInputException("search: limit " + limit + " is outside 1..100");
        }
        // The columns are lower(name) and lower(email) stored by PostgreSQL, and the prefix is folded by PostgreSQL too,
        // so both fold alike whatever the JVM's locale. starts_with (^@) is leakproof, so under row-level security it
        // still becomes an index range on leads_name_search_idx / leads_email_search_idx (agency V4); LIKE would not.
        Field<String> prefix = DSL.lower(DSL.val(text));
        Condition matches = DSL.condition("{0} ^@ {1}", LEADS.NAME_LOWER, prefix)
                .or(DSL.condition("{0} ^@ {1}", LEADS.EMAIL_LOWER, prefix));
        return dsl.selectFrom(LEADS)
                .where(LEADS.TENANT_ID.eq(tenant)).and(LEADS.DELETED_AT.isNull()).and(matches)
                .orderBy(LEADS.NAME_LOWER, LEADS.ID)
                .limit(limit);
    }

    @Override
    public Lead changeStatus(UUID leadId, LeadStatus status) {
        if (status == null) {
            throw new InvalidInputException("changeStatus: status is null");
        }
        requireId(leadId, "changeStatus");
        tx.authorize("lead:update");
        LeadsRecord row = lockLive(leadId);
        LeadStatus current = row.getStatus();
        if (!LeadStatuses.canChange(current, status)) {
            throw new InvalidStateTransitionException("changeStatus: lead " + leadId + " is " + current.literal()
                    + " and cannot move to " + status.literal() + "; " + allowedMoves(current));
        }
        row.setStatus(status);
        return lead(repository().update(row));
    }

    @Override
    public Lead assign(UUID leadId, UUID memberUserId) {
        requireId(leadId, "assign");
        if (memberUserId == null) {
            throw new InvalidInputException("assign: memberUserId is null; call unassign(leadId) to take the lead away");
        }
        tx.authorize("lead:assign");
        requireMember(memberUserId, "assign");
        LeadsRecord row = lockLive(leadId);
        row.setAssignedTo(memberUserId);
        return lead(repository().update(row));
    }

    @Override
    public Lead unassign(UUID leadId) {
        requireId(leadId, "unassign");
        tx.authorize("lead:assign");
        LeadsRecord row = lockLive(leadId);
        row.setAssignedTo(null);
        return lead(repository().update(row));
    }

    @Override
    public LeadConversion convertToClient(UUID leadId) {
        requireId(leadId, "convertToClient");
        tx.authorize("lead:convert");
        LeadsRecord row = lockConvertible(leadId);
        ClientsRecord client = new ClientsRecord()
                .setName(row.getCompany() != null ? row.getCompany() : row.getName())
                .setBillingEmail(row.getEmail());
        UUID clientId = tx.table(CLIENTS).insert(client).getId();
        return new LeadConversion(won(row, clientId), clientId, true);
    }

    @Override
    public LeadConversion convertToClient(UUID leadId, UUID clientId) {
        requireId(leadId, "convertToClient");
        if (clientId == null) {
            throw new InvalidInputException("convertToClient: clientId is null; call convertToClient(leadId) to create a client");
        }
        tx.authorize("lead:convert");
        LeadsRecord row = lockConvertible(leadId);
        if (tx.table(CLIENTS).find(clientId).isEmpty()) {
            throw new NotFoundException("convertToClient: no live client " + clientId + " in tenant " + tenant
                    + "; call convertToClient(leadId) to create one from the lead");
        }
        return new LeadConversion(won(row, clientId), clientId, false);
    }

    @Override
    public Lead delete(UUID leadId, String reason) {
        requireId(leadId, "delete");
        tx.authorize("lead:delete");
        try {
            return lead(repository().softDelete(leadId, reason));
        } catch (InvalidStateTransitionException alreadyDeleted) {
            throw notFound(leadId); // deleted rows are invisible here, as to every other method
        }
    }

    private Lead won(LeadsRecord row, UUID clientId) {
        row.setStatus(LeadStatus.WON);
        row.setClientId(clientId);
        return lead(repository().update(row));
    }

    private LeadsRecord lockConvertible(UUID leadId) {
        LeadsRecord row = lockLive(leadId);
        LeadStatus current = row.getStatus();
        if (!LeadStatuses.isOpen(current)) {
            throw new InvalidStateTransitionException("convertToClient: lead " + leadId + " is " + current.literal()
                    + "; only an open lead (new, contacted, qualified, proposal) can be converted"
                    + (current == LeadStatus.LOST ? ": reopen it with changeStatus(id, NEW) first" : ""));
        }
        return row;
    }

    /** The live row, locked until commit so that a status check and the write that follows cannot interleave. */
    private LeadsRecord lockLive(UUID leadId) {
        LeadsRecord row = tx.dsl().selectFrom(LEADS)
                .where(LEADS.TENANT_ID.eq(tenant)).and(LEADS.ID.eq(leadId)).and(LEADS.DELETED_AT.isNull())
                .forUpdate().fetchOne();
        if (row == null) {
            throw notFound(leadId);
        }
        return row;
    }

    private void requireMember(UUID userId, String operation) {
        Optional<Member> member = tx.members().find(userId);
        if (member.isEmpty() || member.get().status() != MemberStatus.ACTIVE) {
            throw new InvalidInputException(operation + ": user " + userId + " is not an active member of tenant " + tenant
                    + (member.isPresent() ? " (the membership is " + member.get().status().name().toLowerCase(Locale.ROOT) + ")" : "")
                    + "; only active members can own leads");
        }
    }

    private static String allowedMoves(LeadStatus from) {
        String targets = Arrays.stream(LeadStatus.values()).filter(to -> LeadStatuses.canChange(from, to)).map(LeadStatus::literal)
                .collect(Collectors.joining(", "));
        String allowed = targets.isEmpty() ? "no move is allowed from " + from.literal() : "allowed from " + from.literal() + ": " + targets;
        return allowed + (LeadStatuses.isOpen(from) ? "; to win a lead, convert it with convertToClient" : "");
    }

    private Repository<LeadsRecord> repository() {
        return tx.table(LEADS);
    }

    private NotFoundException notFound(UUID leadId) {
        return new NotFoundException("No live lead " + leadId + " in tenant " + tenant);
    }

    private static void requireId(UUID leadId, String operation) {
        if (leadId == null) {
            throw new InvalidInputException(operation + ": leadId is null");
        }
    }

    private static PageRequest requirePage(PageRequest page) {
        if (page == null) {
            throw new InvalidInputException("list: page is null; use PageRequest.first(size)");
        }
        return page;
    }

    private static Page<Lead> map(Page<LeadsRecord> page) {
        return new Page<>(page.items().stream().map(LeadsImpl::lead).toList(), page.next());
    }

    static Lead lead(LeadsRecord r) {
        return new Lead(r.getTenantId(), r.getId(), r.getName(), r.getEmail(), r.getPhone(), r.getCompany(),
                r.getSource(), r.getStatus(), r.getNotes(), r.getAssignedTo(),
                r.getClientId(), r.getCreatedAt(), r.getUpdatedAt(), r.getDeletedAt(), r.getDeletedBy(), r.getDeleteReason());
    }
}
