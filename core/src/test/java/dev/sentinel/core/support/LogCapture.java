package dev.sentinel.core.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what one logger writes while a test runs, and keeps it out of the build log: for code
 * whose only report of a handled failure is a log line (the job workers' poller, heartbeat and
 * fence refusals). Thread-safe; restores the logger on close.
 */
public final class LogCapture implements AutoCloseable {

    /**
     * One captured event.
     *
     * @param level the level
     * @param message the formatted message
     * @param thrown the class name of the logged exception, or {@code null}
     * @param error the logged exception with its causes and the top of its stack, or {@code null}
     */
    public record Event(Level level, String message, String thrown, String error) {
    }

    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousAdditive;
    private final List<Event> events = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            IThrowableProxy proxy = event.getThrowableProxy();
            String thrown = proxy instanceof ThrowableProxy real ? real.getThrowable().getClass().getName()
                    : proxy == null ? null : proxy.getClassName();
            synchronized (events) {
                events.add(new Event(event.getLevel(), event.getFormattedMessage(), thrown, describe(proxy)));
            }
        }
    };

    /** The exception, each cause on a line, with a few frames of the innermost: enough to find where it came from. */
    private static String describe(IThrowableProxy proxy) {
        if (proxy == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        IThrowableProxy innermost = proxy;
        for (IThrowableProxy cause = proxy; cause != null; cause = cause.getCause()) {
            text.append(text.isEmpty() ? "" : "\ncaused by: ").append(cause.getClassName()).append(": ").append(cause.getMessage());
            innermost = cause;
        }
        var frames = innermost.getStackTraceElementProxyArray();
        for (int i = 0; i < Math.min(12, frames.length); i++) {
            text.append("\n    at ").append(frames[i].getSTEAsString());
        }
        return text.toString();
    }

    private LogCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        previousLevel = logger.getLevel();
        previousAdditive = logger.isAdditive();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    /**
     * Starts capturing a logger's INFO and higher events instead of printing them.
     *
     * @param name the logger, usually a class name
     * @return the capture; close it to restore the logger
     */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /**
     * The events so far.
     *
     * @return a copy
     */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * The events so far whose message contains a text.
     *
     * @param text the text
     * @return the matching events
     */
    public List<Event> containing(String text) {
        return events().stream().filter(event -> event.message().contains(text)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditive);
    }
}
