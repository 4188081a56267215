/**
 * Internals of billing: the implementation of {@link dev.sentinel.agency.billing.Invoices} and the
 * number format. Not API: anything here may change without notice.
 */
package dev.sentinel.agency.internal.billing;
