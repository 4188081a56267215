/**
 * A tenant's connections to third-party providers ({@link dev.sentinel.core.Tx#attach(Class)}):
 * one per provider, OAuth tokens sealed at rest and never in the audit trail, scopes and
 * provider-specific configuration as JSON. See {@code docs/agency.md}, "Integrations".
 *
 * @serial exclude
 */
package dev.sentinel.agency.integrations;
