package dev.sentinel.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A database migrated by the chain that came before the kernel's squashed baseline is refused before
 * anything is applied, with a message that says to recreate it; one migrated by the baseline
 * migrates again with nothing to do.
 */
class SquashedBaselineTest {

    private static final TestServer SERVER = TestServer.get();

    @Test
    void aHistoryFromBeforeTheSquashIsRefusedAndNothingIsApplied() throws Exception {
        String database = "pre_squash";
        SERVER.admin("postgres", "create database " + database + " owner " + TestServer.ROLES.owner());
        try {
            // What the old chain's history looked like, as far as the check reads it: V1 was "tenancy".
            try (Connection owner = SERVER.owner(database).getConnection(); Statement statement = owner.createStatement()) {
                statement.execute("create schema sentinel");
                statement.execute("create table sentinel.flyway_schema_history (installed_rank int primary key,"
                        + " version varchar(50), description varchar(200) not null, success boolean not null)");
                statement.execute("insert into sentinel.flyway_schema_history values (1, '1', 'tenancy', true),"
                        + " (26, '26', 'jobs notify', true)");
            }
            Migrations migrations = Migrations.builder(SERVER.owner(database)).roles(TestServer.ROLES).build();

            assertThatThrownBy(migrations::migrate).isInstanceOf(IncompatibleDatabaseException.class)
                    .hasMessageContaining("before the kernel's migrations were squashed")
                    .hasMessageContaining("V1 'tenancy'")
                    .hasMessageContaining("recreate the database")
                    .hasMessageContaining("Nothing was applied");
            try (Connection owner = SERVER.owner(database).getConnection(); Statement statement = owner.createStatement();
                    ResultSet tables = statement.executeQuery("select count(*) from pg_tables where schemaname = 'sentinel'")) {
                tables.next();
                assertThat(tables.getInt(1)).describedAs("only the old history table").isEqualTo(1);
            }
        } finally {
            SERVER.drop(database);
        }
    }

    @Test
    void aDatabaseOfTheBaselineMigratesAgainWithNothingToDo() {
        String database = SERVER.databaseWith(null);
        try {
            Migrations.Result again = Migrations.builder(SERVER.owner(database)).roles(TestServer.ROLES).build().migrate();
            assertThat(again.sentinelApplied()).isZero();
        } finally {
            SERVER.drop(database);
        }
    }
}
