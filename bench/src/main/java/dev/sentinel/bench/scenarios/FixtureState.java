package dev.sentinel.bench.scenarios;

import dev.sentinel.bench.Fixture;
import dev.sentinel.bench.NoteOps;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The state every scenario shares: the scenario's {@link Fixture#shared shared fixture} (pool,
 * Sentinel, a tenant of its own, kept across the variants and rounds run in one JVM), and the
 * variant the running benchmark method measures, named after the method. Subclasses prepare their
 * data in {@link #prepare}, untimed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class FixtureState {

    /** The fixture of this fork. */
    protected Fixture fixture;

    /** The variant that the running benchmark method measures. */
    protected NoteOps underTest;

    /** For JMH. */
    protected FixtureState() {
    }

    /**
     * Gets the scenario's fixture and prepares the variant under test.
     *
     * @param params the running benchmark, whose method names the variant
     */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        // dev.sentinel.bench.scenarios.Insert.jdbc: the scenario (JMH runs a generated subclass), then the method.
        String benchmark = params.getBenchmark();
        String scenario = benchmark.substring(0, benchmark.lastIndexOf('.'));
        fixture = Fixture.shared(scenario.substring(scenario.lastIndexOf('.') + 1));
        underTest = fixture.variant(variantOf(benchmark.substring(benchmark.lastIndexOf('.') + 1)));
        prepare(underTest);
    }

    /**
     * The variant that a benchmark method measures.
     *
     * @param method the method's name
     * @return the variant's name; by default the method's
     */
    protected String variantOf(String method) {
        return method;
    }

    /**
     * Prepares the data that the variant's benchmark needs, untimed.
     *
     * @param ops the variant
     */
    protected void prepare(NoteOps ops) {
    }
}
