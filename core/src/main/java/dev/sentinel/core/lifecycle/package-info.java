/**
 * A tenant's offboarding: {@link dev.sentinel.core.lifecycle.TenantLifecycle} closes a tenant (its
 * transactions turn read-only, reads go on for a grace period) or reopens it, in the system scope;
 * {@link dev.sentinel.core.lifecycle.TenantPurge}, run as the owner role, then deletes every row of
 * the closed tenant, in batches, resumably, with one record in the system trail.
 */
package dev.sentinel.core.lifecycle;
