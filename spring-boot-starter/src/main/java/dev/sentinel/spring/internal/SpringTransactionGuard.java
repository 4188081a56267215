package dev.sentinel.spring.internal;

import dev.sentinel.core.TransactionConflictException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A DataSource the starter gives Sentinel (Boot's, and the system scope's pool), refusing a
 * connection while a Spring-managed transaction ({@code @Transactional}, {@code TransactionTemplate})
 * holds one of Boot's DataSource on this thread. Sentinel begins and commits its own transactions on its own
 * connections, so its writes inside such a method would commit even when the method's transaction
 * rolls back: a silent half-commit, refused here instead. Thread-safe.
 */
public final class SpringTransactionGuard extends DelegatingDataSource {

    /** The message of the refusal; users match on it. */
    static final String REFUSAL = "Sentinel was called inside a Spring-managed transaction (@Transactional or TransactionTemplate)"
            + " on the same DataSource. Sentinel runs its own transaction on its own connection, so a rollback of the"
            + " Spring transaction would not undo Sentinel's writes. Make sentinel.tenant(...).inTransaction(...) the"
            + " transaction: remove @Transactional from this call path (or use propagation NOT_SUPPORTED), and do the"
            + " other work of that method inside the Sentinel transaction through tx.dsl()";

    private final DataSource springManaged;

    /**
     * Wraps Boot's DataSource.
     *
     * @param target the DataSource Spring's transaction manager binds to
     */
    public SpringTransactionGuard(DataSource target) {
        this(target, target);
    }

    /**
     * Wraps another of Sentinel's DataSources, the system scope's pool: its writes inside a Spring
     * transaction on Boot's DataSource would commit on their own just the same.
     *
     * @param target the DataSource to wrap
     * @param springManaged the DataSource Spring's transaction manager binds to
     */
    public SpringTransactionGuard(DataSource target, DataSource springManaged) {
        super(target);
        this.springManaged = springManaged;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseInsideSpringTransaction();
        return super.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseInsideSpringTransaction();
        return super.getConnection(username, password);
    }

    private void refuseInsideSpringTransaction() {
        if (TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.hasResource(springManaged)) {
            throw new TransactionConflictException(REFUSAL);
        }
    }
}
