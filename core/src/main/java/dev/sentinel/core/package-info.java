/**
 * Sentinel's runtime: {@link dev.sentinel.core.Sentinel}, the entry point; {@link dev.sentinel.core.Scope}
 * and {@link dev.sentinel.core.Tx}, scoped transactions; {@link dev.sentinel.core.Repository}, the
 * generic repository; {@link dev.sentinel.core.SentinelException} and its subclasses. Generated jOOQ
 * classes for Sentinel's schema are in {@code dev.sentinel.core.db}.
 *
 * @serial exclude
 */
package dev.sentinel.core;
