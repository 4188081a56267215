/**
 * Contracts, from {@link dev.sentinel.core.Tx#attach(Class)}: immutable numbered versions (v1, v2, ...)
 * holding a body or a document reference with its checksum, and the e-signature state machine
 * {@code draft -> sent -> signed | declined | voided | expired}, back to draft from the last three.
 * The database enforces both as well (raw SQL included); every transition is audited with the
 * version it concerns ({@code docs/agency.md}, "Contracts and e-signature").
 *
 * @serial exclude
 */
package dev.sentinel.agency.contracts;
