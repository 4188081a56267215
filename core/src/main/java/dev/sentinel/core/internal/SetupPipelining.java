package dev.sentinel.core.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connection jOOQ gets while a transaction's setup is unsent: the first statement prepared on it
 * carries the setup in the same round trip, as {@code setup; statement} with the setup's binds first
 * (pgjdbc sends a multi-statement text as one batch with one Sync). So a transaction costs no round
 * trip of its own, where the setup sent alone cost one, about as much as a short query.
 *
 * <p>The statement is a proxy that records the caller's binds and statement settings and prepares
 * the real statement at the first execution, with every bind's index moved past the setup's; it
 * reads the setup's answers (a closed tenant's closing time) and leaves the statement on the
 * caller's first result, so {@code execute}, {@code executeQuery}, {@code executeUpdate} and what
 * follows them answer as for the caller's statement alone. Anything else first (a batch, metadata),
 * or any other call on the connection (another form of {@code prepareStatement},
 * {@code createStatement}, a savepoint, {@code unwrap}), sends the setup alone first, as before;
 * so does the {@code SET LOCAL} form of the setup (on Citus), whose values are written in: the
 * statement's text would change with every transaction and never be prepared on the server. A
 * statement executed again runs as prepared from its own text, since the setup must run once.
 *
 * <p>Two cases differ from the setup sent alone. A write refused as read-only
 * ({@value TransactionRunner#READ_ONLY_TRANSACTION}) in a tenant's scope may come from the
 * closed-tenant pin, whose answer is lost with the batch: the transaction is rolled back and the
 * setup sent alone, which records the answer for the typed error (nothing of the caller's had run).
 * And there is no retry of the setup after a timeout the session had: in one batch a timeout cannot
 * be told apart from the caller's statement's, which must not run twice; the pin, which reads a
 * table, runs as a statement of its own under the pinned timeouts ({@link TransactionSetup#forPipelining}).
 */
final class SetupPipelining {

    /** Calls on the connection that send nothing, which leave the setup pending. */
    private static final Set<String> SILENT = Set.of("equals", "hashCode", "toString", "isClosed", "getAutoCommit");
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");
    private static final Set<String> BATCHES = Set.of("addBatch", "executeBatch", "executeLargeBatch", "clearBatch");

    private SetupPipelining() {
    }

    /**
     * The connection to hand to jOOQ while the prologue's setup is pending.
     *
     * @param connection the transaction's connection
     * @param prologue the transaction's prologue, which holds the pending setup
     * @return the connection
     */
    static Connection connection(Connection connection, TransactionRunner.Prologue prologue) {
        return (Connection) Proxy.newProxyInstance(SetupPipelining.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (prologue.hasPending()) {
                        if (method.getName().equals("prepareStatement") && args.length == 1) {
                            return firstStatement(connection, (String) args[0], prologue);
                        }
                        if (!SILENT.contains(method.getName())) {
                            prologue.sendPending();
                        }
                    }
                    return call(connection, method, args);
                });
    }

    private static PreparedStatement firstStatement(Connection connection, String sql, TransactionRunner.Prologue prologue) {
        return (PreparedStatement) Proxy.newProxyInstance(SetupPipelining.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, new FirstStatement(connection, sql, prologue));
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One call recorded before the statement exists. */
    private record Call(Method method, Object[] args) {

        void replay(PreparedStatement statement, int shift) throws Throwable {
            Object[] shifted = args;
            if (shift != 0 && isBind(method)) {
                shifted = args.clone();
                shifted[0] = (Integer) args[0] + shift;
            }
            call(statement, method, shifted);
        }
    }

    /** A bind: every {@code set...(int index, ...)} that {@link PreparedStatement} declares. */
    private static boolean isBind(Method method) {
        return method.getDeclaringClass() == PreparedStatement.class && method.getName().startsWith("set");
    }

    /** A statement setting, such as the fetch size or the query timeout. */
    private static boolean isSetting(Method method) {
        return method.getDeclaringClass() == Statement.class
                && (method.getName().startsWith("set") || method.getName().equals("closeOnCompletion"));
    }

    private static final class FirstStatement implements java.lang.reflect.InvocationHandler {

        private final Connection connection;
        private final String sql;
        private final TransactionRunner.Prologue prologue;
        private final Map<Integer, Call> binds = new LinkedHashMap<>();
        private final List<Call> settings = new ArrayList<>();
        /** The statement that ran or runs, once there is one. */
        private PreparedStatement current;
        /** Whether {@link #current} carries the setup, so must not run again. */
        private boolean carriesSetup;
        private boolean closed;

        FirstStatement(Connection connection, String sql, TransactionRunner.Prologue prologue) {
            this.connection = connection;
            this.sql = sql;
            this.prologue = prologue;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return sql;
                case "isClosed":
                    return current == null ? closed : current.isClosed();
                case "close":
                    closed = true;
                    if (current != null) {
                        current.close();
                    }
                    return null;
                default:
                    break;
            }
            boolean noArgs = args == null || args.length == 0;
            if (isBind(method) || isSetting(method) || name.equals("clearParameters")) {
                record(method, args);
                if (current != null && !carriesSetup) {
                    return call(current, method, args);
                }
                return null;
            }
            if (EXECUTIONS.contains(name) && noArgs && current == null && prologue.hasPending()) {
                TransactionSetup setup = prologue.takePending();
                if (setup.constantText() && setup.forPipelining().resultSets() > 0) {
                    return executeWithSetup(name, setup);
                }
                // The SET LOCAL form (Citus) writes its values in: sent with it, the statement's text
                // would change with every transaction and never be prepared on the server. The setup
                // goes alone, below.
                prologue.restorePending(setup);
            }
            if ((EXECUTIONS.contains(name) || BATCHES.contains(name)) && carriesSetup) {
                // Executed again: the setup has run and must not run twice.
                current.close();
                current = prepared(connection.prepareStatement(sql), 0);
                carriesSetup = false;
            } else if (current == null) {
                // A batch or anything else before an execution, or another statement ran first: the
                // setup, if still pending, goes alone, as before.
                prologue.sendPending();
                current = prepared(connection.prepareStatement(sql), 0);
            }
            return call(current, method, args);
        }

        private void record(Method method, Object[] args) {
            if (method.getName().equals("clearParameters")) {
                binds.clear();
            } else if (isBind(method)) {
                binds.put((Integer) args[0], new Call(method, args));
            } else {
                settings.add(new Call(method, args));
            }
        }

        private PreparedStatement prepared(PreparedStatement statement, int shift) throws Throwable {
            try {
                for (Call setting : settings) {
                    setting.replay(statement, 0);
                }
                for (Call bind : binds.values()) {
                    bind.replay(statement, shift);
                }
                return statement;
            } catch (Throwable e) {
                statement.close();
                throw e;
            }
        }

        private Object executeWithSetup(String name, TransactionSetup setup) throws Throwable {
            TransactionSetup pipelined = setup.forPipelining();
            PreparedStatement statement;
            try {
                statement = connection.prepareStatement(pipelined.sql() + ";" + sql);
                try {
                    current = prepared(statement, pipelined.bind(statement) - 1);
                } catch (Throwable e) {
                    statement.close();
                    throw e;
                }
            } catch (Throwable e) {
                // Nothing was sent: the setup stays pending for the next statement.
                prologue.restorePending(setup);
                throw e;
            }
            carriesSetup = true;
            boolean isResultSet;
            try {
                isResultSet = statement.execute();
            } catch (SQLException e) {
                if (setup.pinsTenant() && TransactionRunner.READ_ONLY_TRANSACTION.equals(e.getSQLState())) {
                    prologue.resendAlone(setup, e);
                }
                throw e;
            }
            TransactionSetup.Answer answer = pipelined.read(statement, isResultSet);
            prologue.closedSince(answer.closedSince());
            boolean rows = answer.nextIsResultSet();
            return switch (name) {
                case "execute" -> rows;
                case "executeQuery" -> {
                    if (!rows) {
                        throw new SQLException("No results were returned by the query.", "02000");
                    }
                    yield statement.getResultSet();
                }
                case "executeUpdate" -> {
                    if (rows) {
                        throw new SQLException("A result was returned when none was expected.", "0100E");
                    }
                    yield statement.getUpdateCount();
                }
                default -> {
                    if (rows) {
                        throw new SQLException("A result was returned when none was expected.", "0100E");
                    }
                    yield statement.getLargeUpdateCount();
                }
            };
        }
    }
}
