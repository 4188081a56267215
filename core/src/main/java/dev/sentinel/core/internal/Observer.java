package dev.sentinel.core.internal;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the runtime reports while it works, for metrics. The runtime calls it from a few points
 * (a transaction's end, a retry, a job's run); {@link #NONE} drops everything, and
 * {@link MicrometerObserver} records meters. Implementations are thread-safe and never throw.
 */
public interface Observer {

    /** Records nothing: the default when no meter registry is configured. */
    Observer NONE = new Observer() {
    };

    /**
     * Ties an observer to a component that other parts reach without a Sentinel (the job queue,
     * which job workers are built on), so those parts report to the same observer.
     *
     * @param component the component, held weakly
     * @param observer its observer
     */
    static void attach(Object component, Observer observer) {
        synchronized (Attached.MAP) {
            Attached.MAP.put(component, observer);
        }
    }

    /**
     * The observer {@link #attach attached} to a component.
     *
     * @param component the component
     * @return its observer, or {@link #NONE}
     */
    static Observer of(Object component) {
        synchronized (Attached.MAP) {
            return Attached.MAP.getOrDefault(component, NONE);
        }
    }

    /**
     * A top-level transaction ended (nested calls join it and are not reported).
     *
     * @param system whether it ran in the system scope
     * @param committed whether it committed
     * @param nanos how long it took, the connection's borrowing included
     */
    default void transaction(boolean system, boolean committed, long nanos) {
    }

    /**
     * A transaction failed on a serialization failure or deadlock.
     *
     * @param system whether it ran in the system scope
     * @param retried whether it is run again
     */
    default void serializationFailure(boolean system, boolean retried) {
    }

    /**
     * A job's handler ran.
     *
     * @param queue the job's queue
     * @param type the job's type
     * @param outcome {@code succeeded}, {@code snoozed}, {@code failed} or {@code lease_lost}
     * @param nanos how long the handler's transaction took
     */
    default void job(String queue, String type, String outcome, long nanos) {
    }

    /** Stops what the observer runs in the background, if anything. */
    default void close() {
    }

    /** The attachments, weakly keyed so a closed Sentinel's queue can go. */
    final class Attached {
        private static final Map<Object, Observer> MAP = new WeakHashMap<>();

        private Attached() {
        }
    }
}
