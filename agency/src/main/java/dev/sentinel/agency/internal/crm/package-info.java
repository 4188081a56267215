/** Implementation of {@link dev.sentinel.agency.crm}. Not API: anything here may change without notice. */
package dev.sentinel.agency.internal.crm;
