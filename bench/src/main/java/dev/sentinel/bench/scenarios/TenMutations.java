package dev.sentinel.bench.scenarios;

import org.openjdk.jmh.annotations.Benchmark;

/** Scenario 6: one transaction of ten audited mutations (five inserts, each followed by an update of the row). */
public class TenMutations extends FixtureState {

    /**
     * Plain JDBC, audit row by hand.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jdbc() {
        return fixture.jdbc().tenMutations();
    }

    /**
     * Hand-written jOOQ, audit row by hand.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().tenMutations();
    }

    /**
     * Sentinel's repository, audit row by trigger.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().tenMutations();
    }

    /**
     * Hibernate ORM 7 with {@code @TenantId}, {@code @SoftDelete}, history by Envers.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().tenMutations();
    }

    @Override
    protected String variantOf(String method) {
        return method.equals("sentinelBatched") ? "sentinel" : method;
    }

    /**
     * Sentinel's repository with set-at-a-time writes: {@code insertAll} of the five rows, then
     * {@code updateAll} of the five updates; audit rows by trigger.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinelBatched() {
        return fixture.sentinel().tenMutationsBatched();
    }
}
