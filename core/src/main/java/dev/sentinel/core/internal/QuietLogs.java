package dev.sentinel.core.internal;

/**
 * Keeps jOOQ quiet at start-up: no logo, no tip of the day, and no "Version mismatch" warning for
 * the PostgreSQL versions Sentinel supports (15 and newer; jOOQ's open-source dialect names only
 * the newest). jOOQ reads these as system properties; each is set only when the application has
 * not set it, so an application can turn any of them back on.
 */
public final class QuietLogs {

    private QuietLogs() {
    }

    /** Sets the properties that are not set yet. */
    public static void apply() {
        setIfAbsent("org.jooq.no-logo", "true");
        setIfAbsent("org.jooq.no-tips", "true");
        // The level of the one logger that reports the server's version against the dialect's.
        setIfAbsent("org.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport", "ERROR");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
