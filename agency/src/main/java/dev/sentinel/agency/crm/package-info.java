/**
 * The leads inbox ({@link dev.sentinel.core.Tx#attach(Class)}): sales prospects of a tenant, their status
 * through a fixed pipeline, the member who owns each, conversion into a client, soft deletion, and
 * search by name or e-mail. See {@code docs/agency.md}, "Leads".
 *
 * @serial exclude
 */
package dev.sentinel.agency.crm;
