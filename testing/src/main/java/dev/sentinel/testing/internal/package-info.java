/**
 * Internals of sentinel-test: servers, template databases, pools. Not API: anything here may
 * change without notice.
 */
package dev.sentinel.testing.internal;
