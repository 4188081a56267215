/**
 * The audit trail: custom entries and reads ({@link dev.sentinel.core.audit.AuditTrail}, from
 * {@code tx.audit()}), and tamper evidence ({@link dev.sentinel.core.audit.AuditChain}, from
 * {@code sentinel.auditChain()}). Row changes are audited by database triggers, not here.
 *
 * @serial exclude
 */
package dev.sentinel.core.audit;
