/**
 * Implementation of {@link dev.sentinel.agency.projects}: thin rules over the generic repository.
 * Not API: anything here may change without notice.
 */
package dev.sentinel.agency.internal.projects;
