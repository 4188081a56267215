/**
 * Internals of billing: the implementation of {@link dev.sentinel.core.billing.Invoices} and the
 * number format. Not API: anything here may change without notice.
 */
package dev.sentinel.core.internal.billing;
