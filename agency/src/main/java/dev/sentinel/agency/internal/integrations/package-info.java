/** Implementation of {@link dev.sentinel.core.integrations}. Not API: anything here may change without notice. */
package dev.sentinel.core.internal.integrations;
