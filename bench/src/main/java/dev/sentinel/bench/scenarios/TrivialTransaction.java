package dev.sentinel.bench.scenarios;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * Breakdown: a transaction that sets the tenant, runs {@code select 1} and commits: the fixed cost of a
 * transaction. One statement, because a Sentinel transaction that sends none sends nothing at all.
 */
public class TrivialTransaction extends FixtureState {

    /**
     * Plain JDBC.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jdbc() {
        return fixture.jdbc().trivialTransaction();
    }

    /**
     * Hand-written jOOQ.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().trivialTransaction();
    }

    /**
     * Sentinel.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().trivialTransaction();
    }

    /**
     * Hibernate ORM 7 with {@code @TenantId}, {@code @SoftDelete}.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().trivialTransaction();
    }
}
