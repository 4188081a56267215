package dev.sentinel.core.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Raises loggers to ERROR (or OFF) while a test injects faults on purpose, so that the warnings
 * the faults are expected to cause (HikariCP's "marked as broken", an embedded server that cannot
 * be stopped because the test killed it) do not bury the build log. Restores the levels on close.
 */
public final class QuietLogs implements AutoCloseable {

    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();

    private QuietLogs(Level level, String... names) {
        for (String name : names) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            loggers.add(logger);
            levels.add(logger.getLevel());
            logger.setLevel(level);
        }
    }

    /**
     * Shows only errors of these loggers until closed.
     *
     * @param names logger names, such as {@code com.zaxxer.hikari}
     * @return the handle that restores the levels
     */
    public static QuietLogs errorsOnly(String... names) {
        return new QuietLogs(Level.ERROR, names);
    }

    /**
     * Silences these loggers until closed.
     *
     * @param names logger names
     * @return the handle that restores the levels
     */
    public static QuietLogs off(String... names) {
        return new QuietLogs(Level.OFF, names);
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).setLevel(levels.get(i));
        }
    }
}
