package dev.sentinel.bench.scenarios;

import dev.sentinel.bench.NoteOps;
import org.openjdk.jmh.annotations.Benchmark;

/** Scenario 4: update two columns of a row read earlier (optimistic locking), with a diff audit. */
public class Update extends FixtureState {

    /** Rows updated in turn; fewer than 97, so that each update changes the priority too. */
    static final int HELD = 64;

    @Override
    protected void prepare(NoteOps ops) {
        ops.hold(HELD);
    }

    /**
     * Plain JDBC, audit row by hand.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jdbc() {
        return fixture.jdbc().update();
    }

    /**
     * Hand-written jOOQ, audit row by hand.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().update();
    }

    /**
     * Sentinel's repository, audit row by trigger.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().update();
    }

    /**
     * Hibernate ORM 7 with {@code @TenantId}, {@code @SoftDelete}, history by Envers.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().update();
    }
}
