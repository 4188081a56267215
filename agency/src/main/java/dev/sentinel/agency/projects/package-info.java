/**
 * Projects and what hangs off them, from {@link dev.sentinel.core.Tx#attach(Class)}: projects with a
 * status machine, member assignments (only active members of the tenant; removing a member ends
 * them), time entries with totals per project and per person, the price list of services, and the tenant's environments. Thin rules on
 * top of the generic repository: tenant scope, soft deletes and the audit trail are inherited. Every
 * operation that changes data requires its permission ({@code docs/agency.md}, "Projects and
 * time").
 *
 * @serial exclude
 */
package dev.sentinel.agency.projects;
