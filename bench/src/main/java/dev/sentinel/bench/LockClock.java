package dev.sentinel.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;

/**
 * A DataSource that clocks, per transaction, the time from the start of the statement that takes a
 * counter row's lock to the end of the commit that releases it: the span in which issuers of the
 * same counter wait. The statement is the first whose text names {@code sentinel.next_number} or
 * the ceiling's {@code bench_counters}; the commit is {@code Connection.commit()} or a statement
 * whose text ends in {@code COMMIT} (Sentinel's commit, which resets its settings in the same round
 * trip). A rollback drops the transaction's span. With one thread nothing waits for the lock, so
 * the span is the time the lock is held; with more, it includes the wait. Thread-safe.
 */
final class LockClock extends DelegatingDataSource {

    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");

    private final ConcurrentLinkedQueue<Double> spans = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<long[]> lockedAt = ThreadLocal.withInitial(() -> new long[] {0});

    LockClock(DataSource target) {
        super(target);
    }

    /**
     * The spans clocked since the last call, in microseconds, and starts afresh.
     *
     * @return the spans, in no order
     */
    List<Double> drain() {
        List<Double> drained = new ArrayList<>();
        for (Double span = spans.poll(); span != null; span = spans.poll()) {
            drained.add(span);
        }
        return drained;
    }

    private static boolean locks(String sql) {
        return sql.contains("sentinel.next_number") || sql.contains("bench_counters");
    }

    private static boolean commits(String sql) {
        return sql.strip().toUpperCase(Locale.ROOT).endsWith("COMMIT");
    }

    private void started(String sql) {
        long[] at = lockedAt.get();
        if (at[0] == 0 && locks(sql)) {
            at[0] = System.nanoTime();
        }
    }

    private void ended(boolean committed) {
        long[] at = lockedAt.get();
        if (at[0] != 0) {
            if (committed) {
                spans.add((System.nanoTime() - at[0]) / 1_000.0);
            }
            at[0] = 0;
        }
    }

    @Override
    Connection connection(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("createStatement")) {
                return statement((Statement) invoke(connection, method, args), null);
            }
            if (name.equals("prepareStatement")) {
                return statement((Statement) invoke(connection, method, args), (String) args[0]);
            }
            Object result = invoke(connection, method, args);
            if (name.equals("commit") || name.equals("rollback")) {
                ended(name.equals("commit"));
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private Statement statement(Statement statement, String prepared) {
        Class<?> type = statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            boolean executes = EXECUTES.contains(method.getName());
            String sql = prepared != null ? prepared : executes && args != null && args.length > 0 ? (String) args[0] : null;
            if (executes && sql != null) {
                started(sql);
            }
            Object result = invoke(statement, method, args);
            if (executes && sql != null && commits(sql)) {
                ended(true);
            }
            return result;
        };
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
