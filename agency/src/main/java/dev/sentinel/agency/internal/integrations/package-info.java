/** Implementation of {@link dev.sentinel.agency.integrations}. Not API: anything here may change without notice. */
package dev.sentinel.agency.internal.integrations;
