package dev.sentinel.bench.scenarios;

import dev.sentinel.bench.NoteOps;
import org.openjdk.jmh.annotations.Benchmark;

/** Scenario 2: find one live row by id in the tenant's scope. */
public class FindById extends FixtureState {

    /** Rows seeded for reading. */
    static final int SEEDED = 2_000;

    @Override
    protected void prepare(NoteOps ops) {
        fixture.seedReads(SEEDED);
    }

    /**
     * Plain JDBC.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jdbc() {
        return fixture.jdbc().find();
    }

    /**
     * Hand-written jOOQ.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().find();
    }

    /**
     * Sentinel.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().find();
    }

    /**
     * Hibernate ORM 7 with {@code @TenantId}, {@code @SoftDelete}.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().find();
    }
}
