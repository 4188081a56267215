/**
 * The JMH benchmarks, one class per scenario, one method per variant. Run them through
 * {@link dev.sentinel.bench.RunBenchmarks}, which starts the database they need.
 */
package dev.sentinel.bench.scenarios;
