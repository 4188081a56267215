package dev.sentinel.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A DataSource that counts the statements the application sends: every {@code execute*} call on a
 * statement, and every {@code commit} and {@code rollback}. One JDBC call is one statement even if
 * its text holds several (the transaction's settings are one string). Together with the round
 * trips that {@link dev.sentinel.testing.WireTap} counts, it tells whether a variant needs more than one round trip per
 * statement. Used outside the timed loops only. Thread-safe.
 */
final class CountingDataSource extends DelegatingDataSource {

    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    private final AtomicInteger statements = new AtomicInteger();

    CountingDataSource(DataSource target) {
        super(target);
    }

    /**
     * Statements counted since the last {@link #reset()}.
     *
     * @return the count
     */
    int statements() {
        return statements.get();
    }

    /** Starts counting from zero. */
    void reset() {
        statements.set(0);
    }

    @Override
    Connection connection(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("commit") || name.equals("rollback")) {
                statements.incrementAndGet();
            }
            Object result = invoke(connection, method, args);
            if (result instanceof Statement statement && (name.equals("createStatement") || name.equals("prepareStatement")
                    || name.equals("prepareCall"))) {
                return statement(statement);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private Statement statement(Statement statement) {
        Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            if (EXECUTES.contains(method.getName())) {
                statements.incrementAndGet();
            }
            return invoke(statement, method, args);
        };
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
