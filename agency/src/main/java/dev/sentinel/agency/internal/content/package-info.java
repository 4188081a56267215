/** Implementation of {@link dev.sentinel.core.content}. Not API: anything here may change without notice. */
package dev.sentinel.core.internal.content;
