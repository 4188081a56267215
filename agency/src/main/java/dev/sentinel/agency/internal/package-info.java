/**
 * Internals shared by the agency's repositories: argument checks, the tenant and the permission
 * check. Not API: anything here may change without notice.
 */
package dev.sentinel.agency.internal;
