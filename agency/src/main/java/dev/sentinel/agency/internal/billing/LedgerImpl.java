package dev.sentinel.agency.internal.billing;

import static dev.sentinel.agency.db.Tables.INVOICES;
import static dev.sentinel.agency.db.Tables.LEDGER_ENTRIES;

import dev.sentinel.agency.billing.Ledger;
import dev.sentinel.agency.billing.LedgerEntry;
import dev.sentinel.agency.billing.NewLedgerEntry;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import dev.sentinel.agency.db.tables.records.LedgerEntriesRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Tx;
import java.util.List;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Record;

/**
 * {@link Ledger} on one transaction of a tenant. Every statement names the tenant explicitly;
 * row-level security is the backstop, and the table is append-only in the database. Not
 * thread-safe, as its transaction.
 */
public final class LedgerImpl implements Ledger {

    private final Tx tx;

    /**
     * Binds the ledger to a transaction.
     *
     * @param tx the transaction
     */
    public LedgerImpl(Tx tx) {
        this.tx = tx;
    }

    @Override
    public LedgerEntry record(NewLedgerEntry entry) {
        Checks.required(entry, "record", "entry");
        UUID tenant = tx.requireTenantId("tx.attach(Ledger.class)");
        UUID projectId = null;
        if (entry.invoiceId() != null) {
            Record invoice = tx.dsl().select(INVOICES.STATUS, INVOICES.CURRENCY, INVOICES.NUMBER, INVOICES.PROJECT_ID)
                    .from(INVOICES)
                    .where(INVOICES.TENANT_ID.eq(tenant), INVOICES.ID.eq(entry.invoiceId()), INVOICES.DELETED_AT.isNull())
                    .fetchOptional()
                    .orElseThrow(() -> new NotFoundException("record: no invoice " + entry.invoiceId()
                            + " in this tenant"));
            if (invoice.get(INVOICES.STATUS) == InvoiceStatus.DRAFT) {
                throw new InvalidStateTransitionException("record: invoice " + entry.invoiceId() + " is a draft;"
                        + " book money against issued invoices only");
            }
            if (!invoice.get(INVOICES.CURRENCY).equals(entry.currency())) {
                throw new InvalidInputException("record: the entry is in " + entry.currency() + " but invoice "
                        + invoice.get(INVOICES.NUMBER) + " is in " + invoice.get(INVOICES.CURRENCY));
            }
            projectId = invoice.get(INVOICES.PROJECT_ID);
        }
        Checks.authorize(tx, "ledger:record", projectId);
        LedgerEntriesRecord row = tx.dsl().insertInto(LEDGER_ENTRIES)
                .set(LEDGER_ENTRIES.TENANT_ID, tenant)
                .set(LEDGER_ENTRIES.ID, Ids.next())
                .set(LEDGER_ENTRIES.ENTRY_TYPE, entry.type())
                .set(LEDGER_ENTRIES.CATEGORY, entry.category())
                .set(LEDGER_ENTRIES.AMOUNT, entry.amount())
                .set(LEDGER_ENTRIES.CURRENCY, entry.currency())
                .set(LEDGER_ENTRIES.OCCURRED_AT, Checks.utc(entry.occurredAt()))
                .set(LEDGER_ENTRIES.DESCRIPTION, entry.description())
                .set(LEDGER_ENTRIES.INVOICE_ID, entry.invoiceId())
                .set(LEDGER_ENTRIES.EXTERNAL_REF, entry.externalRef())
                .set(LEDGER_ENTRIES.CREATED_AT, tx.now())
                .returning()
                .fetchOne();
        return ledgerEntry(row);
    }

    @Override
    public List<LedgerEntry> entries(UUID invoiceId) {
        Checks.required(invoiceId, "entries", "invoiceId");
        UUID tenant = tx.requireTenantId("tx.attach(Ledger.class)");
        Condition where = LEDGER_ENTRIES.TENANT_ID.eq(tenant).and(LEDGER_ENTRIES.INVOICE_ID.eq(invoiceId));
        return tx.dsl().selectFrom(LEDGER_ENTRIES).where(where).orderBy(LEDGER_ENTRIES.OCCURRED_AT, LEDGER_ENTRIES.ID)
                .fetch(LedgerImpl::ledgerEntry);
    }

    private static LedgerEntry ledgerEntry(LedgerEntriesRecord r) {
        String currency = r.getCurrency();
        return new LedgerEntry(r.getId(), r.getEntryType(), r.getCategory(), Billing.scaled(r.getAmount(), currency), currency,
                Checks.instant(r.getOccurredAt()), r.getDescription(), r.getInvoiceId(), r.getExternalRef(),
                Checks.instant(r.getCreatedAt()));
    }
}
