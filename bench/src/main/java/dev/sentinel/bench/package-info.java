/**
 * Benchmarks of Sentinel side by side with plain JDBC and hand-written jOOQ on one PostgreSQL:
 * {@link dev.sentinel.bench.RunBenchmarks} runs the suite and writes {@code bench/results/}.
 * Not a library: nothing here is API.
 */
package dev.sentinel.bench;
