package dev.sentinel.agency.billing;

import java.time.Instant;
import java.util.UUID;

/**
 * A booking in the tenant's ledger, as stored. Entries are never changed or deleted (the database
 * refuses it); a mistake is corrected by a new entry.
 *
 * @param id the id
 * @param details type, category, amount, currency, time, description, invoice, external reference
 * @param createdAt when it was recorded
 */
public record LedgerEntry(UUID id, LedgerEntryDetails details, Instant createdAt) {
}
