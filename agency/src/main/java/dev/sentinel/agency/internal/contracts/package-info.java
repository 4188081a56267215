/**
 * Implementation of {@link dev.sentinel.agency.contracts}: the state machine and versions over the
 * generic repository. Not API: anything here may change without notice.
 */
package dev.sentinel.agency.internal.contracts;
