package dev.sentinel.bench.scenarios;

import dev.sentinel.bench.NoteOps;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Scenario 7: what the audit trigger itself costs. The same Sentinel code path writes
 * {@code notes} (audit trigger on) and its twin {@code plain_notes} (no trigger; row-level
 * security and {@code touch_updated_at} as on {@code notes}), for an insert and for an update.
 */
public class AuditTrigger extends FixtureState {

    @Override
    protected String variantOf(String method) {
        return method.endsWith("Unaudited") ? "sentinelUnaudited" : "sentinel";
    }

    @Override
    protected void prepare(NoteOps ops) {
        ops.hold(Update.HELD);
    }

    /**
     * Insert into {@code notes}: the trigger writes the audit row.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object insertAudited() {
        return fixture.sentinel().insert();
    }

    /**
     * Insert into {@code plain_notes}: no audit row.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object insertUnaudited() {
        return fixture.sentinelUnaudited().insert();
    }

    /**
     * Update of two columns in {@code notes}: the trigger writes the diff.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object updateAudited() {
        return fixture.sentinel().update();
    }

    /**
     * Update of two columns in {@code plain_notes}: no audit row.
     *
     * @return for the blackhole
     */
    @Benchmark
    public Object updateUnaudited() {
        return fixture.sentinelUnaudited().update();
    }
}
