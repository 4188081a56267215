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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The state every scenario shares: a {@link Fixture} (pool, Sentinel, a tenant of its own) opened
 * once per fork, and the variant the running benchmark method measures, named after the method.
 * Subclasses prepare their data in {@link #prepare}, untimed.
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
     * Opens the fixture and prepares the variant under test.
     *
     * @param params the running benchmark, whose method names the variant
     */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        fixture = Fixture.open();
        String benchmark = params.getBenchmark();
        underTest = fixture.variant(variantOf(benchmark.substring(benchmark.lastIndexOf('.') + 1)));
        prepare(underTest);
    }

    /** Closes the fixture. */
    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
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
