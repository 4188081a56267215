package dev.sentinel.bench.scenarios;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * Scenario 7: one transaction of 100 audited inserts, each variant batching as it would: hand-written
 * jOOQ with one multi-row insert of the rows and one of their audit rows, Sentinel with
 * {@code insertAll} (audit rows by trigger), Hibernate with JDBC batches of 50 (Envers' rows too).
 */
public class HundredInserts extends FixtureState {

    /**
     * Hand-written jOOQ: two multi-row inserts.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object jooq() {
        return fixture.jooq().hundredInserts();
    }

    /**
     * Sentinel's {@code insertAll}.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object sentinel() {
        return fixture.sentinel().hundredInserts();
    }

    /**
     * Hibernate ORM 7, batched persists, history by Envers.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object hibernate() {
        return fixture.hibernate().hundredInserts();
    }
}
