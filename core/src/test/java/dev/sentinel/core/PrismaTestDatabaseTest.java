package dev.sentinel.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test extension takes a Prisma history as the service's migrations, as a service's own tests
 * would use it: the template holds the fixture's tables (and passed the schema lint), and they
 * work through tenant scopes.
 */
class PrismaTestDatabaseTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder()
            .serviceMigrations("prisma:filesystem:../codegen/it/src/it/prisma-tasks/prisma/migrations")
            .build();

    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void thePrismaTablesAreThereAndTenantScoped() {
        UUID acme = Tenants.create(sentinel);
        Actor alice = Actor.user(UUID.randomUUID());
        sentinel.tenant(acme, alice).useTransaction(tx -> tx.dsl().execute(
                "insert into \"Project\" (tenant_id, id, name, status, \"updatedAt\") values (?, ?, 'Launch', 'ON_HOLD', now())",
                acme, UUID.randomUUID()));

        Object acmeSees = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.dsl().fetchValue("select string_agg(status::text, ',') from \"Project\""));
        Object othersSee = sentinel.tenant(UUID.randomUUID(), alice).inTransaction(tx ->
                tx.dsl().fetchValue("select count(*) from \"Project\""));
        assertThat(acmeSees).isEqualTo("ON_HOLD");
        assertThat(((Number) othersSee).intValue()).isZero();
    }
}
