package dev.sentinel.example.quickstart;

import static dev.sentinel.core.db.Tables.TENANTS;

import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The README's run command: starts an embedded PostgreSQL, creates Sentinel's roles and a database,
 * applies Sentinel's migrations as the owner role, creates two tenants as the application role in
 * the system scope, and shows that row-level security hides each tenant from the other.
 */
public final class Quickstart {

    private static final String DATABASE = "quickstart";

    private final PrintStream out;

    private Quickstart(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the quickstart on a fresh embedded PostgreSQL, printing the story to standard output.
     *
     * @param args ignored
     * @throws Exception if any step fails; the server is stopped regardless
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        run(System.out);
    }

    /**
     * Runs the quickstart on a fresh embedded PostgreSQL.
     *
     * @param out where the story is printed
     * @throws IOException if PostgreSQL does not start or stop
     * @throws SQLException if a step fails
     */
    public static void run(PrintStream out) throws IOException, SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            new Quickstart(out).tell(postgres);
        }
    }

    private void tell(EmbeddedPostgres postgres) throws SQLException {
        Roles roles = Roles.defaults();
        out.println("Sentinel quickstart");
        out.println();
        out.printf("1. Started an embedded PostgreSQL on port %d (no Docker, no local install).%n", postgres.getPort());

        try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
            DatabaseBootstrap.bootstrapRoles(superuser, roles);
            DatabaseBootstrap.createDatabase(superuser, DATABASE, roles);
        }
        out.printf("2. Created the roles %s (owns the schema, runs migrations) and %s (the service at run time),%n"
                + "   and the database '%s', owned by %s.%n", roles.owner(), roles.app(), DATABASE, roles.owner());

        Migrations.Result migrated = Migrations.builder(postgres.getDatabase(roles.owner(), DATABASE))
                .roles(roles)
                .build()
                .migrate();
        out.printf("3. Applied %d Sentinel migration(s) to schema 'sentinel', as %s.%n", migrated.sentinelApplied(), roles.owner());

        DataSource app = postgres.getDatabase(roles.app(), DATABASE);
        try (Connection connection = app.getConnection()) {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            List<TenantsRecord> created = createTenants(dsl);
            out.printf("4. Created %d tenants in the system scope, as %s:%n", created.size(), roles.app());
            for (TenantsRecord tenant : created) {
                out.printf("     %-8s %-14s %s%n", tenant.getSlug(), tenant.getName(), tenant.getTimeZone());
            }

            out.printf("5. Row-level security fails closed, as %s:%n", roles.app());
            out.printf("     no tenant set       -> %d tenant row(s) visible%n", dsl.fetchCount(TENANTS));
            for (TenantsRecord tenant : created) {
                List<String> visible = dsl.transactionResult(tx -> {
                    tx.dsl().execute("set local sentinel.tenant_id = '" + tenant.getId() + "'");
                    return tx.dsl().select(TENANTS.SLUG).from(TENANTS).orderBy(TENANTS.SLUG).fetch(TENANTS.SLUG);
                });
                out.printf("     tenant %-12s -> %d tenant row(s) visible: %s%n", tenant.getSlug(), visible.size(),
                        String.join(", ", visible));
            }
        }
        out.println();
        out.println("Done. The server is stopped and its data directory removed.");
    }

    private static List<TenantsRecord> createTenants(DSLContext dsl) {
        return dsl.transactionResult(tx -> {
            // Creating tenants is cross-tenant work: it runs in the system scope, visibly named.
            tx.dsl().execute("set local sentinel.scope = 'system'");
            TenantsRecord acme = tenant(tx.dsl(), "acme", "Acme GmbH", "Europe/Berlin");
            TenantsRecord globex = tenant(tx.dsl(), "globex", "Globex Corp", "America/New_York");
            return List.of(acme, globex);
        });
    }

    private static TenantsRecord tenant(DSLContext dsl, String slug, String name, String timeZone) {
        TenantsRecord tenant = dsl.newRecord(TENANTS);
        tenant.setId(UUID.randomUUID());
        tenant.setSlug(slug);
        tenant.setName(name);
        tenant.setTimeZone(timeZone);
        tenant.store();
        return tenant;
    }
}
