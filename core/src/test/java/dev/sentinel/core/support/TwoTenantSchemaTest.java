package dev.sentinel.core.support;

import dev.sentinel.core.support.SchemaFixture.Globals;
import dev.sentinel.core.support.SchemaFixture.InsertedTenant;
import dev.sentinel.core.support.SchemaFixture.TenantInserter;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * A schema's tests on two tenants with a full row graph each, for checks that the kernel's tests and
 * a module's share: a subclass names the database (registered on its own static field) and the
 * module's fixture. One instance per class, so that the fixture, a subclass's choice, can run in a
 * {@code @BeforeAll} method.
 *
 * @param <R> the ids the fixture returns for a tenant
 */
@TestInstance(Lifecycle.PER_CLASS)
public abstract class TwoTenantSchemaTest<R extends InsertedTenant> {

    private final SentinelDatabase db;

    private final TenantInserter<R> fixture;

    /** The global rows both tenants refer to. */
    protected Globals globals;

    /** Tenant A's rows. */
    protected R a;

    /** Tenant B's rows. */
    protected R b;

    /**
     * @param db the database, registered with {@code @RegisterExtension} on the subclass's static field
     * @param fixture inserts one tenant's rows in every tenant table of the schema
     */
    protected TwoTenantSchemaTest(SentinelDatabase db, TenantInserter<R> fixture) {
        this.db = Objects.requireNonNull(db, "db");
        this.fixture = Objects.requireNonNull(fixture, "fixture");
    }

    @BeforeAll
    protected final void insertTwoTenants() throws SQLException {
        globals = SchemaFixture.insertGlobals(system());
        a = fixture.insertTenant(system(), "tenant-a", globals);
        b = fixture.insertTenant(system(), "tenant-b", globals);
    }

    /**
     * The database under test.
     *
     * @return the subclass's registered extension
     */
    protected final SentinelDatabase database() {
        return db;
    }

    /**
     * The application role's data source.
     *
     * @return it
     */
    protected final DataSource app() {
        return db.appDataSource();
    }

    /**
     * The system scope's pool, as the system role: the only runtime role the system scope's policies apply to.
     *
     * @return the data source
     */
    protected final DataSource system() {
        return db.systemDataSource();
    }
}
