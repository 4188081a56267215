package dev.sentinel.agency.internal.billing;

import static dev.sentinel.agency.db.Tables.INVOICES;
import static dev.sentinel.agency.db.Tables.INVOICE_ITEMS;
import static dev.sentinel.agency.db.Tables.INVOICE_SERIES;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;

import dev.sentinel.agency.billing.GapReport;
import dev.sentinel.agency.billing.Invoice;
import dev.sentinel.agency.billing.InvoiceChange;
import dev.sentinel.agency.billing.InvoiceItem;
import dev.sentinel.agency.billing.InvoiceItemChange;
import dev.sentinel.agency.billing.InvoiceTotals;
import dev.sentinel.agency.billing.Invoices;
import dev.sentinel.agency.billing.Money;
import dev.sentinel.agency.billing.NewInvoice;
import dev.sentinel.agency.billing.NewInvoiceItem;
import dev.sentinel.agency.billing.NumberSeries;
import dev.sentinel.agency.db.enums.InvoiceKind;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import dev.sentinel.agency.db.tables.records.InvoiceItemsRecord;
import dev.sentinel.agency.db.tables.records.InvoicesRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.SerializationFailureException;
import dev.sentinel.core.Tx;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record9;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SelectForUpdateStep;

/**
 * {@link Invoices} on one transaction of a tenant. Every statement names the tenant explicitly;
 * row-level security is the backstop. Operations on a draft first lock the invoice row
 * ({@code FOR NO KEY UPDATE}) and read it with its lines in the same statement, so that the
 * status they check cannot change under them, and lines written concurrently queue behind the lock
 * (the line trigger takes {@code FOR SHARE} on the invoice). Not thread-safe, as its transaction.
 *
 * <p>Issuing is two statements: that locking read, then one statement that allocates the number
 * and issues the invoice together ({@link #ISSUE}), so no number can be allocated without the
 * invoice that carries it.
 */
public final class InvoicesImpl implements Invoices {

    /**
     * Allocates the next number of (tenant, series, year) from the kernel's numbering primitive and
     * issues the draft, in one statement. {@code sentinel.next_number} inserts the counter row with 1
     * on first use or increments it ({@code ON CONFLICT DO UPDATE} is atomic: a concurrent first use
     * waits for the other insert, then increments), and the row stays locked until the transaction
     * ends, which is what makes the sequence gap-free. The call reads the draft (a CTE with a
     * volatile call is evaluated once, never inlined), so if the draft is not there (it cannot be:
     * the caller holds its lock) nothing is allocated. Both the CTE and the update name the invoice
     * by its primary key's values, not by a join: everything from the call to the commit runs under
     * the counter's lock, and a join on the CTE let the planner scan every invoice of the tenant
     * there (docs/decisions.md, issue #27). The number is {@code prefix || counter padded to width || suffix};
     * {@code lpad} would cut a longer counter, hence the {@code case}.
     */
    private static final String ISSUE = """
            with allocated as (
                select sentinel.next_number(?, ?)::int as last_number
                  from agency.invoices where tenant_id = ? and id = ? and status = 'draft'
            )
            update agency.invoices i
               set status = 'issued', sequence_year = ?::int, sequence_number = a.last_number,
                   number = ?::text || case when length(a.last_number::text) >= ?::int then a.last_number::text
                                            else lpad(a.last_number::text, ?::int, '0') end || ?::text,
                   issued_at = ?::timestamptz, issued_on = ?::date, net_total = ?::numeric, tax_total = ?::numeric,
                   gross_total = ?::numeric, version = i.version + 1, updated_at = ?::timestamptz
              from allocated a
             where i.tenant_id = ? and i.id = ?
            returning i.number, i.sequence_number, i.version, i.updated_at""";

    private static final Pattern SERIES = Pattern.compile("[A-Z0-9]{1,10}");
    private static final Field<String> TENANT_TIME_ZONE = field(name("tenant_time_zone"), String.class);
    private static final Field<String> SERIES_FORMAT = field(name("series_format"), String.class);
    private static final Field<Boolean> CLIENT_LIVE = field(name("client_live"), Boolean.class);
    private static final Field<Boolean> ACTOR_HOLDS = field(name("actor_holds"), Boolean.class);
    /** The columns of a line in {@link #ISSUE_READ}, in {@link #item}'s order. */
    private static final List<Field<?>> ISSUE_READ_LINE = List.of(field(name("line_id"), UUID.class),
            field(name("line_position"), Integer.class), field(name("line_description"), String.class),
            field(name("line_quantity"), BigDecimal.class), field(name("line_unit_price"), BigDecimal.class),
            field(name("line_tax_rate"), BigDecimal.class), field(name("line_service_id"), UUID.class),
            field(name("line_total"), BigDecimal.class));

    /**
     * The locking read of {@link #issue}: the draft, its lines (one row each; one row without line
     * columns if it has none), its tenant's time zone, its series' format and whether its client
     * is live, the invoice row locked ({@code FOR NO KEY UPDATE}) as {@link #lockedRead} does. A
     * constant text, so jOOQ renders nothing per call, and plain rows, so nothing is parsed from a
     * MULTISET's JSON (the MULTISET read this replaces was about half of an issue's CPU time in the
     * client; see docs/decisions.md, issue #27). For a user actor (the
     * first parameter false) it also asks {@code sentinel.actor_holds}, which decides a tenant-wide or
     * global grant as {@code tx.authorize} does, whether the user holds the permission the issue
     * needs: if so, the permission query that {@code tx.authorize} would send is saved; if not,
     * {@code tx.authorize} decides (a grant on the draft's project) and refuses as usual. The
     * database's answer counts only while the actor setting is still the transaction's own actor
     * (raw SQL may have changed it); otherwise {@code tx.authorize} decides. Every distributed
     * table in it names the tenant's id itself, not the invoice's column: only then does Citus
     * route a locking read to one shard (otherwise it refuses the lock, and on PostgreSQL 15 and 16
     * the outer join too).
     */
    private static final String ISSUE_READ = "select "
            + Arrays.stream(INVOICES.fields()).map(f -> "i." + f.getName()).collect(Collectors.joining(", "))
            + """
            , (select t.time_zone from sentinel.tenants t where t.id = ?) as tenant_time_zone,
              (select s.number_format from agency.invoice_series s where s.tenant_id = ? and s.series = i.series) as series_format,
              exists (select from agency.clients c where c.tenant_id = ? and c.id = i.client_id and c.deleted_at is null) as client_live,
              case when ? then true
                   when current_setting('sentinel.actor_id', true) = ?
                   then sentinel.actor_holds(case when i.kind = 'credit_note' then 'invoice:credit' else 'invoice:issue' end)
                   else false
              end as actor_holds,
              l.id as line_id, l.position as line_position, l.description as line_description, l.quantity as line_quantity,
              l.unit_price as line_unit_price, l.tax_rate as line_tax_rate, l.service_id as line_service_id, l.line_total
              from agency.invoices i
              left join agency.invoice_items l on l.tenant_id = ? and l.invoice_id = i.id
             where i.tenant_id = ? and i.id = ? and i.deleted_at is null
             order by l.position
               for no key update of i""";
    /** {@link #ISSUE_READ}'s columns, typed, so jOOQ asks the driver for no result metadata. */
    private static final Field<?>[] ISSUE_READ_FIELDS = Stream.of(Arrays.stream(INVOICES.fields()),
            Stream.of(TENANT_TIME_ZONE, SERIES_FORMAT, CLIENT_LIVE, ACTOR_HOLDS), ISSUE_READ_LINE.stream())
            .flatMap(f -> f).toArray(Field<?>[]::new);

    /** The kernel's counters are shared by every module: the agency's series are named apart. */
    private static final String COUNTER_PREFIX = "agency.invoices:";
    /** The scales of invoice_items.quantity, unit_price and tax_rate. */
    private static final int QUANTITY_SCALE = 3;
    private static final int PRICE_SCALE = 6;
    private static final int TAX_RATE_SCALE = 2;

    private final Tx tx;

    /**
     * Binds billing to a transaction.
     *
     * @param tx the transaction
     */
    public InvoicesImpl(Tx tx) {
        this.tx = tx;
    }

    private UUID tenant() {
        return tx.requireTenantId("tx.attach(Invoices.class)");
    }

    private DSLContext dsl() {
        return tx.dsl();
    }

    // ------------------------------------------------------------------------------------ drafts

    @Override
    public Invoice createDraft(UUID clientId, String currency) {
        return createDraft(NewInvoice.of(clientId, currency));
    }

    @Override
    public Invoice createDraft(NewInvoice invoice) {
        Checks.required(invoice, "createDraft", "invoice");
        tenant();
        Checks.authorize(tx, "invoice:draft", invoice.projectId());
        return insertDraft(invoice, InvoiceKind.INVOICE, null, "createDraft");
    }

    /**
     * Inserts a draft and, on first use, its series, in one statement. Both read from the live
     * client, so a missing or deleted client writes neither.
     */
    private Invoice insertDraft(NewInvoice details, InvoiceKind kind, UUID corrects, String operation) {
        UUID tenant = tenant();
        String series = details.series() == null ? NumberSeries.defaultSeries(kind) : details.series();
        OffsetDateTime now = tx.now();
        UUID id = Ids.next();
        InvoicesRecord inserted;
        try {
            inserted = dsl().resultQuery("""
                    with live_client as (
                        select tenant_id, id from agency.clients where tenant_id = ? and id = ? and deleted_at is null
                    ), series as (
                        insert into agency.invoice_series (tenant_id, series, kind)
                        select tenant_id, ?, ? from live_client
                        on conflict do nothing -- no target: two first drafts of a series race on both unique keys
                    )
                    insert into agency.invoices (tenant_id, id, client_id, project_id, series, kind, corrects_invoice_id,
                                                   currency, due_on, notes, created_at, updated_at)
                    select tenant_id, ?::uuid, id, ?::uuid, ?, ?, ?::uuid, ?, ?::date, ?, ?::timestamptz, ?::timestamptz
                      from live_client
                    returning *""",
                    tenant, details.clientId(), series, kind.literal(),
                    id, details.projectId(), series, kind.literal(), corrects, details.currency(), details.dueOn(),
                    details.notes(), now, now)
                    .coerce(INVOICES).fetchOne();
        } catch (ConstraintViolationException e) {
            throw seriesKindMismatch(e, series, kind, operation);
        }
        if (inserted == null) {
            throw new NotFoundException(operation + ": no live client " + details.clientId() + " in this tenant; create"
                    + " the client first, or restore it");
        }
        return invoice(inserted, List.of());
    }

    private static RuntimeException seriesKindMismatch(ConstraintViolationException e, String series, InvoiceKind kind,
            String operation) {
        if ("invoices_series_fkey".equals(e.constraint())) {
            return new InvalidInputException(operation + ": series " + series + " does not number "
                    + kind.literal().replace('_', ' ') + "s; use a series of that kind (" + NumberSeries.defaultSeries(kind)
                    + " by default). The transaction can only roll back now", e);
        }
        return e;
    }

    @Override
    public Invoice updateDraft(UUID invoiceId, InvoiceChange details) {
        Checks.required(invoiceId, "updateDraft", "invoiceId");
        Checks.required(details, "updateDraft", "change");
        Invoice draft = lockDraft(invoiceId, "updateDraft");
        Checks.authorize(tx, "invoice:draft", draft.projectId());
        if (details.projectId() != null && !details.projectId().equals(draft.projectId())) {
            Checks.authorize(tx, "invoice:draft", details.projectId());
        }
        String series = details.series() == null ? NumberSeries.defaultSeries(draft.kind()) : details.series();
        if (draft.kind() == InvoiceKind.CREDIT_NOTE) {
            Invoice corrected = get(draft.correctsInvoiceId());
            if (!details.clientId().equals(corrected.clientId()) || !details.currency().equals(corrected.currency())) {
                throw new InvalidInputException("updateDraft: a credit note keeps the client and currency of the invoice it"
                        + " corrects (" + corrected.clientId() + ", " + corrected.currency() + ")");
            }
        }
        UUID tenant = tenant();
        int updated;
        try {
            updated = dsl().execute("""
                    with live_client as (
                        select tenant_id from agency.clients where tenant_id = ? and id = ? and deleted_at is null
                    ), series as (
                        insert into agency.invoice_series (tenant_id, series, kind)
                        select tenant_id, ?, ? from live_client
                        on conflict do nothing
                    )
                    update agency.invoices i
                       set client_id = ?::uuid, currency = ?, series = ?, due_on = ?::date, project_id = ?::uuid,
                           notes = ?, version = i.version + 1, updated_at = ?::timestamptz
                      from live_client c
                     where i.tenant_id = c.tenant_id and i.id = ?::uuid""",
                    tenant, details.clientId(), series, draft.kind().literal(),
                    details.clientId(), details.currency(), series, details.dueOn(), details.projectId(), details.notes(),
                    tx.now(), invoiceId);
        } catch (ConstraintViolationException e) {
            throw seriesKindMismatch(e, series, draft.kind(), "updateDraft");
        }
        if (updated == 0) {
            throw new NotFoundException("updateDraft: no live client " + details.clientId() + " in this tenant");
        }
        // Not decided on draft.items(): a line committed while this call waited for the lock is not in it.
        if (Money.scale(details.currency()) != Money.scale(draft.currency())) {
            // The same rule as Money.lineTotal: PostgreSQL's round(numeric) rounds ties away from zero.
            dsl().execute("update agency.invoice_items set line_total = round(quantity * unit_price, ?::int), updated_at = ?::timestamptz"
                    + " where tenant_id = ? and invoice_id = ?", Money.scale(details.currency()), tx.now(), tenant, invoiceId);
        }
        return get(invoiceId);
    }

    @Override
    public void deleteDraft(UUID invoiceId, String reason) {
        Checks.required(invoiceId, "deleteDraft", "invoiceId");
        Checks.text(reason, "deleteDraft", "reason", Billing.MAX_REASON);
        Invoice draft = lockDraft(invoiceId, "deleteDraft");
        Checks.authorize(tx, "invoice:draft", draft.projectId());
        OffsetDateTime now = tx.now();
        dsl().update(INVOICES)
                .set(INVOICES.DELETED_AT, now)
                .set(INVOICES.DELETED_BY, tx.actor().userId().orElse(null))
                .set(INVOICES.DELETE_REASON, reason)
                .set(INVOICES.VERSION, INVOICES.VERSION.plus(1))
                .set(INVOICES.UPDATED_AT, now)
                .where(INVOICES.TENANT_ID.eq(tenant()), INVOICES.ID.eq(invoiceId))
                .execute();
    }

    @Override
    public InvoiceItem addItem(UUID invoiceId, String description, BigDecimal quantity, BigDecimal unitPrice) {
        return addItem(invoiceId, NewInvoiceItem.of(description, quantity, unitPrice));
    }

    @Override
    public InvoiceItem addItem(UUID invoiceId, NewInvoiceItem item) {
        Checks.required(invoiceId, "addItem", "invoiceId");
        Checks.required(item, "addItem", "item");
        Invoice draft = lockDraft(invoiceId, "addItem");
        BigDecimal lineTotal = lineTotal(item.quantity(), item.unitPrice(), draft.currency(), "addItem");
        Checks.authorize(tx, "invoice:draft", draft.projectId());
        UUID tenant = tenant();
        OffsetDateTime now = tx.now();
        // The invoice is locked and its lines were read with it, so no concurrent addItem can take the
        // same position. (A subquery in the VALUES, as before, is refused by Citus.)
        int position = draft.items().stream().mapToInt(InvoiceItem::position).max().orElse(0) + 1;
        InvoiceItemsRecord row = dsl().insertInto(INVOICE_ITEMS)
                .set(INVOICE_ITEMS.TENANT_ID, tenant)
                .set(INVOICE_ITEMS.ID, Ids.next())
                .set(INVOICE_ITEMS.INVOICE_ID, invoiceId)
                .set(INVOICE_ITEMS.POSITION, position)
                .set(INVOICE_ITEMS.SERVICE_ID, item.serviceId())
                .set(INVOICE_ITEMS.DESCRIPTION, item.description())
                .set(INVOICE_ITEMS.QUANTITY, item.quantity())
                .set(INVOICE_ITEMS.UNIT_PRICE, item.unitPrice())
                .set(INVOICE_ITEMS.TAX_RATE, item.taxRate())
                .set(INVOICE_ITEMS.LINE_TOTAL, lineTotal)
                .set(INVOICE_ITEMS.CREATED_AT, now)
                .set(INVOICE_ITEMS.UPDATED_AT, now)
                .returning()
                .fetchOne();
        return item(row, draft.currency());
    }

    @Override
    public InvoiceItem changeItem(UUID itemId, InvoiceItemChange item) {
        Checks.required(itemId, "changeItem", "itemId");
        Checks.required(item, "changeItem", "change");
        Invoice draft = lockDraftOfItem(itemId, "changeItem");
        BigDecimal lineTotal = lineTotal(item.quantity(), item.unitPrice(), draft.currency(), "changeItem");
        Checks.authorize(tx, "invoice:draft", draft.projectId());
        InvoiceItemsRecord row = dsl().update(INVOICE_ITEMS)
                .set(INVOICE_ITEMS.SERVICE_ID, item.serviceId())
                .set(INVOICE_ITEMS.DESCRIPTION, item.description())
                .set(INVOICE_ITEMS.QUANTITY, item.quantity())
                .set(INVOICE_ITEMS.UNIT_PRICE, item.unitPrice())
                .set(INVOICE_ITEMS.TAX_RATE, item.taxRate())
                .set(INVOICE_ITEMS.LINE_TOTAL, lineTotal)
                .set(INVOICE_ITEMS.UPDATED_AT, tx.now())
                .where(INVOICE_ITEMS.TENANT_ID.eq(tenant()), INVOICE_ITEMS.ID.eq(itemId))
                .returning()
                .fetchOne();
        if (row == null) {
            throw new NotFoundException("changeItem: invoice line " + itemId + " was removed meanwhile");
        }
        return item(row, draft.currency());
    }

    @Override
    public void removeItem(UUID itemId) {
        Checks.required(itemId, "removeItem", "itemId");
        Invoice draft = lockDraftOfItem(itemId, "removeItem");
        Checks.authorize(tx, "invoice:draft", draft.projectId());
        int removed = dsl().deleteFrom(INVOICE_ITEMS).where(INVOICE_ITEMS.TENANT_ID.eq(tenant()), INVOICE_ITEMS.ID.eq(itemId))
                .execute();
        if (removed == 0) {
            throw new NotFoundException("removeItem: invoice line " + itemId + " was removed meanwhile");
        }
    }

    private static BigDecimal lineTotal(BigDecimal quantity, BigDecimal unitPrice, String currency, String operation) {
        BigDecimal total = Money.lineTotal(quantity, unitPrice, currency);
        if (total.abs().compareTo(BigDecimal.TEN.pow(14)) >= 0) {
            throw new InvalidInputException(operation + ": the line total " + total.toPlainString() + " " + currency
                    + " is too large (at most 14 integer digits); split the line");
        }
        return total;
    }

    // ------------------------------------------------------------------------------ credit notes

    @Override
    public Invoice createCreditNote(UUID invoiceId) {
        return createCreditNote(invoiceId, NumberSeries.defaultSeries(InvoiceKind.CREDIT_NOTE));
    }

    @Override
    public Invoice createCreditNote(UUID invoiceId, String series) {
        Checks.required(invoiceId, "createCreditNote", "invoiceId");
        if (series == null || !SERIES.matcher(series).matches()) {
            throw new InvalidInputException("createCreditNote: series '" + series + "' must be 1 to 10 upper-case letters"
                    + " or digits, such as CR");
        }
        Invoice invoice = get(invoiceId);
        requireCreditable(invoice, "createCreditNote");
        Checks.authorize(tx, "invoice:draft", invoice.projectId());
        NewInvoice details = new NewInvoice(invoice.clientId(), invoice.currency(), series, null, invoice.projectId(), null);
        Invoice note = insertDraft(details, InvoiceKind.CREDIT_NOTE, invoiceId, "createCreditNote");
        OffsetDateTime now = tx.now();
        var insert = dsl().insertInto(INVOICE_ITEMS, INVOICE_ITEMS.TENANT_ID, INVOICE_ITEMS.ID, INVOICE_ITEMS.INVOICE_ID,
                INVOICE_ITEMS.POSITION, INVOICE_ITEMS.SERVICE_ID, INVOICE_ITEMS.DESCRIPTION, INVOICE_ITEMS.QUANTITY,
                INVOICE_ITEMS.UNIT_PRICE, INVOICE_ITEMS.TAX_RATE, INVOICE_ITEMS.LINE_TOTAL, INVOICE_ITEMS.CREATED_AT,
                INVOICE_ITEMS.UPDATED_AT);
        for (InvoiceItem line : invoice.items()) {
            insert = insert.values(tenant(), Ids.next(), note.id(), line.position(), line.serviceId(), line.description(),
                    line.quantity(), line.unitPrice(), line.taxRate(), line.lineTotal(), now, now);
        }
        List<InvoiceItem> items = insert.returning().fetch().map(row -> item(row, invoice.currency()));
        return withItems(note, items);
    }

    private static void requireCreditable(Invoice invoice, String operation) {
        if (invoice.kind() != InvoiceKind.INVOICE) {
            throw new InvalidStateTransitionException(operation + ": " + invoice.number() + " is a credit note; credit"
                    + " the invoice it corrects instead");
        }
        if (invoice.status() != InvoiceStatus.ISSUED && invoice.status() != InvoiceStatus.PAID) {
            throw new InvalidStateTransitionException(operation + ": invoice " + invoice.id() + " is "
                    + invoice.status().literal() + "; only an issued or paid invoice can be credited");
        }
    }

    // ---------------------------------------------------------------------- issue and afterwards

    @Override
    public Invoice issue(UUID invoiceId) {
        Checks.required(invoiceId, "issue", "invoiceId");
        UUID tenant = tenant();
        boolean service = tx.actor().serviceName().isPresent();
        String actor = tx.actor().settingValue();
        Result<Record> rows = dsl().resultQuery(ISSUE_READ, tenant, tenant, tenant, service, actor, tenant, tenant, invoiceId)
                .coerce(ISSUE_READ_FIELDS).fetch();
        if (rows.isEmpty()) {
            throw new NotFoundException("issue: no invoice " + invoiceId + " in this tenant");
        }
        Record row = rows.get(0);
        Invoice draft = invoice(row.into(INVOICES), issueReadItems(rows));
        if (draft.status() != InvoiceStatus.DRAFT) {
            throw new InvalidStateTransitionException("issue: " + describe(draft) + " is " + draft.status().literal()
                    + " already; an invoice is issued once");
        }
        if (draft.items().isEmpty()) {
            throw new InvalidInputException("issue: draft " + invoiceId + " has no lines; add at least one with addItem");
        }
        InvoiceTotals totals = draft.totals();
        if (totals.net().signum() <= 0 || totals.gross().signum() <= 0) {
            throw new InvalidInputException("issue: draft " + invoiceId + " totals " + totals.net().toPlainString() + " net, "
                    + totals.gross().toPlainString() + " gross " + draft.currency() + "; an invoice must total more than 0"
                    + " (credit with a credit note instead)");
        }
        if (!Boolean.TRUE.equals(row.get(CLIENT_LIVE))) {
            throw new InvalidInputException("issue: the client " + draft.clientId() + " of draft " + invoiceId
                    + " was deleted; restore the client or change the draft's client");
        }
        ZoneId zone = zone(row.get(TENANT_TIME_ZONE));
        NumberFormatSpec spec = NumberFormatSpec.parse(row.get(SERIES_FORMAT));
        if (draft.kind() == InvoiceKind.CREDIT_NOTE) {
            requireCreditRoom(draft);
            if (!Boolean.TRUE.equals(row.get(ACTOR_HOLDS))) {
                Checks.authorize(tx, "invoice:credit", draft.projectId());
            }
        } else if (!Boolean.TRUE.equals(row.get(ACTOR_HOLDS))) {
            Checks.authorize(tx, "invoice:issue", draft.projectId());
        }

        Instant issuedAt = tx.now().toInstant();
        LocalDate issuedOn = LocalDate.ofInstant(issuedAt, zone);
        int year = issuedOn.getYear();
        Record issued;
        try {
            issued = dsl().resultQuery(ISSUE, counter(draft.series()), String.valueOf(year), tenant, invoiceId,
                    year, spec.prefix(draft.series(), year), spec.width(), spec.width(), spec.suffix(draft.series(), year),
                    Checks.utc(issuedAt), issuedOn, totals.net(), totals.tax(), totals.gross(), Checks.utc(issuedAt),
                    tenant, invoiceId)
                    // Typed columns, so jOOQ asks the driver for no result metadata (a catalog query in pgjdbc).
                    .coerce(INVOICES.NUMBER, INVOICES.SEQUENCE_NUMBER, INVOICES.VERSION, INVOICES.UPDATED_AT).fetchOne();
        } catch (ConstraintViolationException e) {
            // On a Citus coordinator the worker's error arrives without the constraint field the
            // trigger set; the guard's own message says the same.
            if ("invoices_issue_check".equals(e.constraint())
                    || e.constraint() == null && String.valueOf(e.getMessage()).contains(" cannot be issued: ")) {
                // The lines passed the checks above as read, so the trigger, which sums them afresh, saw
                // others: a line written by a transaction that held the invoice before the locking read got it
                // (that read's snapshot predates the wait). Nothing was allocated: the statement failed whole.
                throw new SerializationFailureException("issue: the lines of draft " + invoiceId + " changed while it was"
                        + " being issued; the transaction was rolled back; run it again (TxOptions.withRetries does so)", e);
            }
            throw e;
        }
        if (issued == null) {
            // Unreachable while the lock is held; nothing was allocated, since allocation reads the same draft.
            throw new InvalidStateTransitionException("issue: draft " + invoiceId + " changed while it was being issued");
        }
        return new Invoice(draft.id(), draft.kind(), InvoiceStatus.ISSUED, draft.series(), issued.get(0, String.class), year,
                issued.get(1, Integer.class), draft.clientId(), draft.currency(), draft.dueOn(), draft.projectId(),
                draft.notes(), draft.correctsInvoiceId(), issuedAt, issuedOn, null, null, null,
                draft.items(), totals, issued.get(2, Integer.class), draft.createdAt(),
                issued.get(3, OffsetDateTime.class).toInstant());
    }

    /**
     * A credit note may not credit more than the gross total of its invoice minus the credit notes
     * issued against it before. Locks the invoice, so two credit notes of one invoice issue one
     * after the other.
     */
    private void requireCreditRoom(Invoice note) {
        UUID tenant = tenant();
        Field<BigDecimal> credited = select(coalesce(sum(INVOICES.as("c").GROSS_TOTAL), BigDecimal.ZERO))
                .from(INVOICES.as("c"))
                .where(INVOICES.as("c").TENANT_ID.eq(tenant), INVOICES.as("c").CORRECTS_INVOICE_ID.eq(note.correctsInvoiceId()),
                        INVOICES.as("c").STATUS.in(InvoiceStatus.ISSUED, InvoiceStatus.PAID))
                .asField("credited");
        Record original = dsl().select(INVOICES.STATUS, INVOICES.KIND, INVOICES.NUMBER, INVOICES.CLIENT_ID, INVOICES.CURRENCY,
                        INVOICES.GROSS_TOTAL, credited)
                .from(INVOICES)
                .where(INVOICES.TENANT_ID.eq(tenant), INVOICES.ID.eq(note.correctsInvoiceId()))
                .forNoKeyUpdate().of(INVOICES)
                .fetchOne();
        if (original == null) {
            throw new NotFoundException("issue: the invoice " + note.correctsInvoiceId() + " that credit note " + note.id()
                    + " corrects is gone");
        }
        InvoiceStatus status = original.get(INVOICES.STATUS);
        if (status != InvoiceStatus.ISSUED && status != InvoiceStatus.PAID) {
            throw new InvalidStateTransitionException("issue: invoice " + original.get(INVOICES.NUMBER) + " is "
                    + status.literal() + "; a credit note can only correct an issued or paid invoice");
        }
        if (!note.clientId().equals(original.get(INVOICES.CLIENT_ID)) || !note.currency().equals(original.get(INVOICES.CURRENCY))) {
            throw new InvalidInputException("issue: credit note " + note.id() + " must have the client and currency of invoice "
                    + original.get(INVOICES.NUMBER));
        }
        BigDecimal room = original.get(INVOICES.GROSS_TOTAL).subtract(original.get(credited));
        if (note.totals().gross().compareTo(room) > 0) {
            throw new InvalidInputException("issue: credit note " + note.id() + " credits " + note.totals().gross().toPlainString()
                    + " " + note.currency() + ", but only " + Billing.scaled(room, note.currency()).toPlainString() + " of invoice "
                    + original.get(INVOICES.NUMBER) + " is left to credit; reduce its lines");
        }
    }

    private ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException | NullPointerException e) {
            throw new InvalidInputException("issue: the tenant's time zone '" + name + "' is not one Java knows; set"
                    + " tenants.time_zone to an IANA name such as Europe/Berlin", e);
        }
    }

    @Override
    public Invoice markPaid(UUID invoiceId, Instant paidAt) {
        Checks.required(invoiceId, "markPaid", "invoiceId");
        Checks.required(paidAt, "markPaid", "paidAt");
        Invoice invoice = lockIssued(invoiceId, "markPaid", "paid");
        Checks.authorize(tx, "invoice:mark_paid", invoice.projectId());
        Instant paid = paidAt.truncatedTo(ChronoUnit.MICROS);
        InvoicesRecord row = dsl().update(INVOICES)
                .set(INVOICES.STATUS, InvoiceStatus.PAID)
                .set(INVOICES.PAID_AT, Checks.utc(paid))
                .set(INVOICES.VERSION, INVOICES.VERSION.plus(1))
                .set(INVOICES.UPDATED_AT, tx.now())
                .where(INVOICES.TENANT_ID.eq(tenant()), INVOICES.ID.eq(invoiceId))
                .returning().fetchOne();
        return new Invoice(invoice.id(), invoice.kind(), InvoiceStatus.PAID, invoice.series(), invoice.number(),
                invoice.sequenceYear(), invoice.sequenceNumber(), invoice.clientId(), invoice.currency(), invoice.dueOn(),
                invoice.projectId(), invoice.notes(), invoice.correctsInvoiceId(),
                invoice.issuedAt(), invoice.issuedOn(), paid, null, null, invoice.items(), invoice.totals(), row.getVersion(),
                invoice.createdAt(), Checks.instant(row.getUpdatedAt()));
    }

    @Override
    public Invoice voidInvoice(UUID invoiceId, String reason) {
        Checks.required(invoiceId, "voidInvoice", "invoiceId");
        Checks.text(reason, "voidInvoice", "reason", Billing.MAX_REASON);
        Invoice invoice = lockIssued(invoiceId, "voidInvoice", "void");
        Checks.authorize(tx, "invoice:void", invoice.projectId());
        Instant now = tx.now().toInstant();
        InvoicesRecord row = dsl().update(INVOICES)
                .set(INVOICES.STATUS, InvoiceStatus.VOID)
                .set(INVOICES.VOIDED_AT, Checks.utc(now))
                .set(INVOICES.VOID_REASON, reason)
                .set(INVOICES.VERSION, INVOICES.VERSION.plus(1))
                .set(INVOICES.UPDATED_AT, Checks.utc(now))
                .where(INVOICES.TENANT_ID.eq(tenant()), INVOICES.ID.eq(invoiceId))
                .returning().fetchOne();
        return new Invoice(invoice.id(), invoice.kind(), InvoiceStatus.VOID, invoice.series(), invoice.number(),
                invoice.sequenceYear(), invoice.sequenceNumber(), invoice.clientId(), invoice.currency(), invoice.dueOn(),
                invoice.projectId(), invoice.notes(), invoice.correctsInvoiceId(),
                invoice.issuedAt(), invoice.issuedOn(), null, now, reason, invoice.items(), invoice.totals(), row.getVersion(),
                invoice.createdAt(), Checks.instant(row.getUpdatedAt()));
    }

    private Invoice lockIssued(UUID invoiceId, String operation, String target) {
        Record row = lockedRead(invoiceId).orElseThrow(() -> new NotFoundException(operation + ": no invoice " + invoiceId
                + " in this tenant"));
        Invoice invoice = invoice(row.into(INVOICES), items(row));
        if (invoice.status() != InvoiceStatus.ISSUED) {
            throw new InvalidStateTransitionException(operation + ": " + describe(invoice) + " is " + invoice.status().literal()
                    + "; only an issued invoice can become " + target);
        }
        return invoice;
    }

    // ------------------------------------------------------------------------------------- reads

    @Override
    public Optional<Invoice> find(UUID invoiceId) {
        Checks.required(invoiceId, "find", "invoiceId");
        return withItemsQuery(invoiceId).fetchOptional().map(row -> invoice(row.into(INVOICES), items(row)));
    }

    @Override
    public Invoice get(UUID invoiceId) {
        return find(invoiceId).orElseThrow(() -> new NotFoundException("no invoice " + invoiceId + " in this tenant"));
    }

    /**
     * The invoice with its lines as a MULTISET: one statement, however many lines. The lines are
     * filtered by the tenant's id itself, not by the invoice's column: Citus routes a locking read to
     * one shard only when every distributed table in it names the tenant.
     */
    private SelectForUpdateStep<Record> withItemsQuery(UUID invoiceId, Field<?>... extra) {
        UUID tenant = tenant();
        Field<Result<Record9<UUID, UUID, Integer, String, BigDecimal, BigDecimal, BigDecimal, UUID, BigDecimal>>> items =
                multiset(select(INVOICE_ITEMS.ID, INVOICE_ITEMS.INVOICE_ID, INVOICE_ITEMS.POSITION, INVOICE_ITEMS.DESCRIPTION,
                        INVOICE_ITEMS.QUANTITY, INVOICE_ITEMS.UNIT_PRICE, INVOICE_ITEMS.TAX_RATE, INVOICE_ITEMS.SERVICE_ID,
                        INVOICE_ITEMS.LINE_TOTAL)
                        .from(INVOICE_ITEMS)
                        .where(INVOICE_ITEMS.TENANT_ID.eq(tenant), INVOICE_ITEMS.INVOICE_ID.eq(INVOICES.ID))
                        .orderBy(INVOICE_ITEMS.POSITION)).as("items");
        List<Field<?>> fields = new ArrayList<>(Arrays.asList(INVOICES.fields()));
        fields.add(items);
        fields.addAll(Arrays.asList(extra));
        return dsl().select(fields).from(INVOICES)
                .where(INVOICES.TENANT_ID.eq(tenant), INVOICES.ID.eq(invoiceId), INVOICES.DELETED_AT.isNull());
    }

    /** The invoice with its lines, its row locked until the transaction ends. */
    private Optional<Record> lockedRead(UUID invoiceId, Field<?>... extra) {
        return withItemsQuery(invoiceId, extra).forNoKeyUpdate().of(INVOICES).fetchOptional();
    }

    private Invoice lockDraft(UUID invoiceId, String operation) {
        Record row = lockedRead(invoiceId).orElseThrow(() -> new NotFoundException(operation + ": no invoice " + invoiceId
                + " in this tenant"));
        Invoice invoice = invoice(row.into(INVOICES), items(row));
        requireDraft(invoice, operation);
        return invoice;
    }

    private Invoice lockDraftOfItem(UUID itemId, String operation) {
        UUID invoiceId = dsl().select(INVOICE_ITEMS.INVOICE_ID).from(INVOICE_ITEMS)
                .where(INVOICE_ITEMS.TENANT_ID.eq(tenant()), INVOICE_ITEMS.ID.eq(itemId))
                .fetchOptional(INVOICE_ITEMS.INVOICE_ID)
                .orElseThrow(() -> new NotFoundException(operation + ": no invoice line " + itemId + " in this tenant"));
        return lockDraft(invoiceId, operation);
    }

    private static void requireDraft(Invoice invoice, String operation) {
        if (invoice.status() != InvoiceStatus.DRAFT) {
            throw new InvalidStateTransitionException(operation + ": " + describe(invoice) + " is " + invoice.status().literal()
                    + " and cannot change; correct it with a credit note (createCreditNote) or void it");
        }
    }

    private static String describe(Invoice invoice) {
        String what = invoice.kind() == InvoiceKind.CREDIT_NOTE ? "credit note " : "invoice ";
        return what + (invoice.number() == null ? invoice.id().toString() : invoice.number());
    }

    /**
     * The lines of a row read by {@link #withItemsQuery}. Values arrive through the MULTISET's JSON,
     * so they are brought to their columns' scales (and the line total to the currency's), the same
     * as a record read directly: {@code 2} and {@code 2.000} are not equal BigDecimals.
     */
    @SuppressWarnings("unchecked")
    private static List<InvoiceItem> items(Record row) {
        String currency = row.get(INVOICES.CURRENCY);
        Result<Record> lines = (Result<Record>) row.get("items");
        return lines.map(line -> item(line.get(0, UUID.class), line.get(1, UUID.class), line.get(2, Integer.class),
                line.get(3, String.class), line.get(4, BigDecimal.class), line.get(5, BigDecimal.class),
                line.get(6, BigDecimal.class), line.get(7, UUID.class), line.get(8, BigDecimal.class), currency));
    }

    /** The lines of {@link #ISSUE_READ}'s rows, none if its one row has no line. */
    private static List<InvoiceItem> issueReadItems(Result<Record> rows) {
        List<InvoiceItem> items = new ArrayList<>(rows.size());
        int first = INVOICES.fields().length + 4;
        for (Record r : rows) {
            UUID lineId = r.get(first, UUID.class);
            if (lineId != null) {
                items.add(item(lineId, r.get(INVOICES.ID), r.get(first + 1, Integer.class), r.get(first + 2, String.class),
                        r.get(first + 3, BigDecimal.class), r.get(first + 4, BigDecimal.class), r.get(first + 5, BigDecimal.class),
                        r.get(first + 6, UUID.class), r.get(first + 7, BigDecimal.class), r.get(INVOICES.CURRENCY)));
            }
        }
        return items;
    }

    private static InvoiceItem item(InvoiceItemsRecord r, String currency) {
        return item(r.getId(), r.getInvoiceId(), r.getPosition(), r.getDescription(), r.getQuantity(), r.getUnitPrice(),
                r.getTaxRate(), r.getServiceId(), r.getLineTotal(), currency);
    }

    private static InvoiceItem item(UUID id, UUID invoiceId, int position, String description, BigDecimal quantity,
            BigDecimal unitPrice, BigDecimal taxRate, UUID serviceId, BigDecimal lineTotal, String currency) {
        return new InvoiceItem(id, invoiceId, position, description, quantity.setScale(QUANTITY_SCALE),
                unitPrice.setScale(PRICE_SCALE), taxRate.setScale(TAX_RATE_SCALE), serviceId, Billing.scaled(lineTotal, currency));
    }

    private static Invoice invoice(InvoicesRecord r, List<InvoiceItem> items) {
        InvoiceStatus status = r.getStatus();
        InvoiceTotals computed = InvoiceTotals.of(r.getCurrency(), items);
        InvoiceTotals totals = status == InvoiceStatus.DRAFT ? computed
                : new InvoiceTotals(Billing.scaled(r.getNetTotal(), r.getCurrency()), Billing.scaled(r.getTaxTotal(), r.getCurrency()),
                        Billing.scaled(r.getGrossTotal(), r.getCurrency()), computed.byRate());
        return new Invoice(r.getId(), r.getKind(), status, r.getSeries(), r.getNumber(),
                r.getSequenceYear(), r.getSequenceNumber(), r.getClientId(), r.getCurrency(), r.getDueOn(), r.getProjectId(),
                r.getNotes(), r.getCorrectsInvoiceId(), Checks.instant(r.getIssuedAt()),
                r.getIssuedOn(), Checks.instant(r.getPaidAt()), Checks.instant(r.getVoidedAt()), r.getVoidReason(), items, totals,
                r.getVersion(), Checks.instant(r.getCreatedAt()), Checks.instant(r.getUpdatedAt()));
    }

    private static Invoice withItems(Invoice draft, List<InvoiceItem> items) {
        return new Invoice(draft.id(), draft.kind(), draft.status(), draft.series(), draft.number(), draft.sequenceYear(),
                draft.sequenceNumber(), draft.clientId(), draft.currency(), draft.dueOn(), draft.projectId(), draft.notes(),
                draft.correctsInvoiceId(), draft.issuedAt(), draft.issuedOn(),
                draft.paidAt(), draft.voidedAt(), draft.voidReason(), items, InvoiceTotals.of(draft.currency(), items),
                draft.version(), draft.createdAt(), draft.updatedAt());
    }

    // --------------------------------------------------------------------------------- numbering

    @Override
    public NumberSeries configureSeries(String series, InvoiceKind kind, String numberFormat) {
        requireSeries(series, "configureSeries");
        Checks.required(kind, "configureSeries", "kind");
        NumberFormatSpec.parse(numberFormat);
        Optional<NumberSeries> existing = series(series);
        if (existing.isPresent() && existing.get().kind() != kind) {
            throw new InvalidInputException("configureSeries: series " + series + " numbers "
                    + existing.get().kind().literal().replace('_', ' ') + "s; a series keeps its kind, so use another series"
                    + " for " + kind.literal().replace('_', ' ') + "s");
        }
        Checks.authorize(tx, "invoice:configure", null);
        OffsetDateTime now = tx.now();
        dsl().insertInto(INVOICE_SERIES)
                .set(INVOICE_SERIES.TENANT_ID, tenant())
                .set(INVOICE_SERIES.SERIES, series)
                .set(INVOICE_SERIES.KIND, kind)
                .set(INVOICE_SERIES.NUMBER_FORMAT, numberFormat)
                .set(INVOICE_SERIES.CREATED_AT, now)
                .set(INVOICE_SERIES.UPDATED_AT, now)
                .onConflict(INVOICE_SERIES.TENANT_ID, INVOICE_SERIES.SERIES)
                .doUpdate()
                // The inserted row's values: Citus refuses a cast of a parameter in DO UPDATE SET (not immutable).
                .set(INVOICE_SERIES.NUMBER_FORMAT, excluded(INVOICE_SERIES.NUMBER_FORMAT))
                .set(INVOICE_SERIES.UPDATED_AT, excluded(INVOICE_SERIES.UPDATED_AT))
                .execute();
        return new NumberSeries(series, kind, numberFormat);
    }

    @Override
    public Optional<NumberSeries> series(String series) {
        requireSeries(series, "series");
        return dsl().select(INVOICE_SERIES.KIND, INVOICE_SERIES.NUMBER_FORMAT).from(INVOICE_SERIES)
                .where(INVOICE_SERIES.TENANT_ID.eq(tenant()), INVOICE_SERIES.SERIES.eq(series))
                .fetchOptional(r -> new NumberSeries(series, r.value1(), r.value2()));
    }

    /** The kernel counter ({@code sentinel.number_counters.series}) of an invoice series; its period is the year. */
    static String counter(String series) {
        return COUNTER_PREFIX + series;
    }

    @Override
    public GapReport gapReport(String series, int year) {
        requireSeries(series, "gapReport");
        if (year < 2000 || year > 9999) {
            throw new InvalidInputException("gapReport: year " + year + " is outside 2000..9999");
        }
        UUID tenant = tenant();
        // The anti-join and the range scans use invoices_sequence_key (tenant_id, series, sequence_year, sequence_number).
        Record row = dsl().resultQuery("""
                with counter as (
                    select coalesce((select last_value::int from sentinel.number_counters
                                      where tenant_id = ? and series = ? and period = ?), 0) as last_number
                ), numbered as (
                    select sequence_number from agency.invoices
                     where tenant_id = ? and series = ? and sequence_year = ? and sequence_number is not null
                )
                select c.last_number,
                       (select count(*) from numbered)::int as issued,
                       (select coalesce(array_agg(n order by n), '{}') from generate_series(1, c.last_number) n
                         where not exists (select from numbered where sequence_number = n)) as missing,
                       (select coalesce(array_agg(sequence_number order by sequence_number), '{}') from numbered
                         where sequence_number > c.last_number) as beyond
                  from counter c""", tenant, counter(series), String.valueOf(year), tenant, series, year)
                .coerce(field("last_number", Integer.class), field("issued", Integer.class), field("missing", Integer[].class),
                        field("beyond", Integer[].class))
                .fetchOne();
        return new GapReport(series, year, row.get(0, Integer.class), row.get(1, Integer.class),
                List.of(row.get(2, Integer[].class)), List.of(row.get(3, Integer[].class)));
    }

    // -------------------------------------------------------------------------------- validation

    private static void requireSeries(String series, String operation) {
        if (series == null || !SERIES.matcher(series).matches()) {
            throw new InvalidInputException(operation + ": series '" + series + "' must be 1 to 10 upper-case letters or"
                    + " digits, such as INV");
        }
    }
}
