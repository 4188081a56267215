/**
 * A service built on Sentinel from outside Sentinel's build: its own tables (pipelines, stages and
 * items after seed 002; strategies and bookings after seed 003) in its own Flyway migrations, jOOQ
 * classes generated for them by Sentinel's codegen plugin (package
 * {@code dev.sentinel.example.downstream.db}), and two small repositories that add the service's
 * business rules on top of Sentinel's generic repository: {@link dev.sentinel.example.downstream.PipelineRepository}
 * and {@link dev.sentinel.example.downstream.BookingRepository}. {@link dev.sentinel.example.downstream.SalesService}
 * starts Sentinel for it. See {@code docs/downstream.md}.
 */
package dev.sentinel.example.downstream;
