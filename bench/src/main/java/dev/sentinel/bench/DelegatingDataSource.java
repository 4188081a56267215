package dev.sentinel.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource that hands out its target's connections through {@link #connection(Connection)}, for
 * the bench's instruments that watch the JDBC calls of a variant (proxies of the connection and its
 * statements). Everything else goes to the target.
 */
abstract class DelegatingDataSource implements DataSource {

    /** The DataSource watched. */
    final DataSource target;

    DelegatingDataSource(DataSource target) {
        this.target = target;
    }

    /**
     * The connection to hand out for one of the target's.
     *
     * @param connection the target's connection
     * @return the connection to use
     */
    abstract Connection connection(Connection connection);

    /**
     * Calls {@code method} on {@code target} for a proxy, throwing what the method threw.
     *
     * @param target the object proxied
     * @param method the method
     * @param args its arguments
     * @return its result
     * @throws Throwable what it threw
     */
    static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public final Connection getConnection() throws SQLException {
        return connection(target.getConnection());
    }

    @Override
    public final Connection getConnection(String username, String password) throws SQLException {
        return connection(target.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}
