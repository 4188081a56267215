package dev.sentinel.bench.scenarios;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/** Scenario 5: soft-delete a live row, with who and why, audited. Each invocation deletes a row inserted before it, untimed. */
public class SoftDelete extends FixtureState {

    /** Inserts the row that the next invocation deletes; not timed. */
    @Setup(Level.Invocation)
    public void insertRowToDelete() {
        underTest.prepareSoftDelete();
    }

    /**
     * Plain JDBC, audit row by hand.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jdbc() {
        return fixture.jdbc().softDelete();
    }

    /**
     * Hand-written jOOQ, audit row by hand.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().softDelete();
    }

    /**
     * Sentinel's repository, audit row by trigger.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().softDelete();
    }

    /**
     * Hibernate ORM 7 with {@code @TenantId}, {@code @SoftDelete}, history by Envers.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().softDelete();
    }
}
