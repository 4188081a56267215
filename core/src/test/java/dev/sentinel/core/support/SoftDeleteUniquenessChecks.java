package dev.sentinel.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.SchemaFixture.InsertedTenant;
import dev.sentinel.core.support.SchemaFixture.TenantInserter;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Natural keys are unique among live rows only: a soft-deleted row frees its key for a new row,
 * however many soft-deleted duplicates exist, while a second live row with the same key still fails.
 * A subclass checks its schema's keys with {@link #assertKeyReusable}, on two tenants with a full
 * row graph each.
 *
 * @param <R> the ids the fixture returns for a tenant
 */
public abstract class SoftDeleteUniquenessChecks<R extends InsertedTenant> extends TwoTenantSchemaTest<R> {

    /**
     * @param db the database, registered with {@code @RegisterExtension} on the subclass's static field
     * @param fixture inserts one tenant's rows in every tenant table of the schema
     */
    protected SoftDeleteUniquenessChecks(SentinelDatabase db, TenantInserter<R> fixture) {
        super(db, fixture);
    }

    /**
     * Inserts a row with the key, soft-deletes it, does that once more, inserts a live row with the
     * key, and checks that a second live row fails on the named unique index.
     *
     * @param scope the scope to write in
     * @param table the table, schema-qualified
     * @param keyPredicate SQL that selects the rows with the key, with one {@code ?} for it
     * @param key the key
     * @param index the partial unique index that refuses a second live row
     * @param insert inserts a row with the key
     * @throws SQLException if a write fails unexpectedly
     */
    protected final void assertKeyReusable(RawScope scope, String table, String keyPredicate, String key, String index,
            Insert insert) throws SQLException {
        for (int round = 0; round < 2; round++) {
            UUID id = UUID.randomUUID();
            scope.commit(pool(scope), c -> insert.insert(c, id, key));
            int deleted = scope.commit(pool(scope), c -> Sql.update(c, "update " + table
                    + " set deleted_at = now(), deleted_by = ?, delete_reason = 'test' where id = ?", UUID.randomUUID(), id));
            assertThat(deleted).isEqualTo(1);
        }
        int live = scope.commit(pool(scope), c -> insert.insert(c, UUID.randomUUID(), key));
        assertThat(live).describedAs("a live row next to two soft-deleted ones").isEqualTo(1);

        SQLException error = Sql.expectFailure(Sql.UNIQUE_VIOLATION,
                () -> scope.commit(pool(scope), c -> insert.insert(c, UUID.randomUUID(), key)));
        assertThat(error.getMessage()).contains(index);

        String sameKey = " from " + table + " where " + keyPredicate;
        long all = scope.count(pool(scope), "select count(*)" + sameKey, key);
        long liveRows = scope.count(pool(scope), "select count(*)" + sameKey + " and deleted_at is null", key);
        assertThat(all).isEqualTo(3);
        assertThat(liveRows).isEqualTo(1);
    }

    /** The system scope runs on the system role's pool, every other scope on the application role's. */
    private DataSource pool(RawScope scope) {
        return scope.systemScope() ? system() : app();
    }

    /** Inserts one row with a key. */
    @FunctionalInterface
    protected interface Insert {
        /**
         * @param connection the connection, in the scope of {@link #assertKeyReusable}
         * @param id the new row's id
         * @param key the key
         * @return the rows inserted
         * @throws SQLException if the insert fails
         */
        int insert(Connection connection, UUID id, String key) throws SQLException;
    }
}
