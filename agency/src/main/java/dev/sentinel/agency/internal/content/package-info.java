/** Implementation of {@link dev.sentinel.agency.content}. Not API: anything here may change without notice. */
package dev.sentinel.agency.internal.content;
