package dev.sentinel.bench.scenarios;

import org.openjdk.jmh.annotations.Benchmark;

/** Scenario 1: insert one row with its audit entry, in its own transaction. */
public class Insert extends FixtureState {

    /**
     * Plain JDBC, audit row by hand.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jdbc() {
        return fixture.jdbc().insert();
    }

    /**
     * Hand-written jOOQ, audit row by hand.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().insert();
    }

    /**
     * Sentinel's repository, audit row by trigger.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().insert();
    }

    /**
     * Hibernate ORM 7 with {@code @TenantId}, {@code @SoftDelete}, history by Envers.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().insert();
    }
}
