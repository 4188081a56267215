/**
 * The tenant lifecycle: work on a tenant's or a person's data as a whole, which runs as the owner
 * role, through paths the runtime pools cannot reach, and is recorded in the system trail.
 * {@link dev.sentinel.core.lifecycle.Erasure} erases one person's personal values from the live
 * rows and the audit trails while the sealed chain still verifies. See docs/concepts.md, "Tenant
 * lifecycle".
 */
package dev.sentinel.core.lifecycle;
