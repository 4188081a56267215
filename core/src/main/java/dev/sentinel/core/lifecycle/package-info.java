/**
 * The tenant lifecycle: work on a tenant's or a person's data as a whole. What deletes or rewrites
 * data runs as the owner role, through paths the runtime pools cannot reach, and is recorded in
 * the system trail. {@link dev.sentinel.core.lifecycle.TenantLifecycle} closes a tenant (its
 * transactions turn read-only, reads go on for a grace period) or reopens it, in the system scope;
 * {@link dev.sentinel.core.lifecycle.TenantPurge} then deletes every row of the closed tenant, in
 * batches, resumably, with one record in the system trail. {@link dev.sentinel.core.lifecycle.Erasure}
 * erases one person's personal values from the live rows and the audit trails while the sealed
 * chain still verifies. See docs/concepts.md, "Tenant lifecycle".
 */
package dev.sentinel.core.lifecycle;
