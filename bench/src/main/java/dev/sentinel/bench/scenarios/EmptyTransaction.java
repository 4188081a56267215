package dev.sentinel.bench.scenarios;

import org.openjdk.jmh.annotations.Benchmark;

/** Breakdown: a transaction that sets the tenant and commits, with nothing in between: the fixed cost of a transaction. */
public class EmptyTransaction extends FixtureState {

    /**
     * Plain JDBC.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jdbc() {
        return fixture.jdbc().emptyTransaction();
    }

    /**
     * Hand-written jOOQ.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().emptyTransaction();
    }

    /**
     * Sentinel.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().emptyTransaction();
    }

    /**
     * Hibernate ORM 7 with {@code @TenantId}, {@code @SoftDelete}.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().emptyTransaction();
    }
}
