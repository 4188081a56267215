/**
 * Sentinel for Spring Boot: the {@code Sentinel} bean over Boot's {@code DataSource}, migrations at
 * start-up ahead of Boot's own Flyway, {@link dev.sentinel.spring.SentinelJob} handler beans run by
 * workers that follow the context's lifecycle, a {@code Scope} argument for controllers, RFC 9457
 * problem details for every {@code SentinelException}, a health indicator and Micrometer meters.
 * Configured by {@link dev.sentinel.spring.SentinelProperties} ({@code sentinel.*}).
 */
package dev.sentinel.spring;
