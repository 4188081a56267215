package dev.sentinel.bench.scenarios;

import dev.sentinel.bench.NoteOps;
import org.openjdk.jmh.annotations.Benchmark;

/** Scenario 3: one keyset page of 50 live rows (by id, one more fetched to know of a next page). */
public class ListPage extends FixtureState {

    @Override
    protected void prepare(NoteOps ops) {
        fixture.seedReads(FindById.SEEDED);
    }

    /**
     * Plain JDBC.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jdbc() {
        return fixture.jdbc().listPage();
    }

    /**
     * Hand-written jOOQ.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().listPage();
    }

    /**
     * Sentinel.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().listPage();
    }

    /**
     * Hibernate ORM 7 with {@code @TenantId}, {@code @SoftDelete}.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().listPage();
    }
}
