/**
 * Identity and access: users (global), their memberships in tenants ({@link dev.sentinel.core.Tx#members()}),
 * and roles with permissions granted globally, across a tenant, or narrowed to one resource (a row
 * of a resource type a module or service registers, such as a project) ({@link dev.sentinel.core.Tx#roles()}), checked with {@link dev.sentinel.core.Tx#authorize(String)}.
 * See {@code docs/concepts.md}, "Identity and access".
 *
 * @serial exclude
 */
package dev.sentinel.core.identity;
