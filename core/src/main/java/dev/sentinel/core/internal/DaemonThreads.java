package dev.sentinel.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sentinel's background threads (the audit sealer, the job workers' pollers, handlers, heartbeat and
 * listener) are daemons, so they never keep a service's JVM alive after its main thread ends, and
 * named, so a thread dump says whose they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * A factory of daemon threads named {@code name-1}, {@code name-2}, ...
     *
     * @param name the threads' name prefix, such as {@code sentinel-audit-sealer}
     * @return the factory; thread-safe
     */
    public static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
