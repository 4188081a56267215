/**
 * Internals of billing: the implementations of {@link dev.sentinel.agency.billing.Clients},
 * {@link dev.sentinel.agency.billing.Invoices} and {@link dev.sentinel.agency.billing.Ledger}, and
 * the number format. Not API: anything here may change without notice.
 */
package dev.sentinel.agency.internal.billing;

