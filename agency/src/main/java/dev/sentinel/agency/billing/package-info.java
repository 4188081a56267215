/**
 * Billing: clients, invoices and their lines, gap-free numbers per (tenant, series, year), credit
 * notes, the gap report and the ledger, from {@link dev.sentinel.core.Tx#attach(Class)}. Amounts are
 * exact ({@code BigDecimal}, {@code numeric}), rounded half up to the currency's ISO 4217 scale
 * ({@link dev.sentinel.agency.billing.Money}). Issued invoices are immutable, in the database too.
 * See {@code docs/agency.md}, "Billing".
 *
 * @serial exclude
 */
package dev.sentinel.agency.billing;
