/** Implementation of {@link dev.sentinel.core.crm}. Not API: anything here may change without notice. */
package dev.sentinel.core.internal.crm;
