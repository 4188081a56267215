package dev.sentinel.core;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.TappedConnection;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.WireTap;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scope costs no round trip of its own, however many settings it carries: BEGIN, the isolation
 * level and every setting travel with the transaction's first statement. Counted on the wire, by a
 * proxy that reads the PostgreSQL protocol between the driver and the server.
 */
class RoundTripTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static TappedConnection connection;
    private static WireTap tap;
    private static Sentinel sentinel;
    private static UUID tenant;
    /** On a Citus coordinator the first round trip also turns on the propagation of SET LOCAL. */
    private static boolean citus;

    @BeforeAll
    static void start() throws Exception {
        connection = TappedConnection.open(db);
        tap = connection.tap();
        sentinel = Sentinel.builder().dataSource(connection.dataSource()).systemDataSource(db.systemDataSource()).build();
        tenant = Tenants.create(sentinel);
        try (var admin = db.adminDataSource().getConnection(); var statement = admin.createStatement();
                var row = statement.executeQuery("select exists (select from pg_extension where extname = 'citus')")) {
            row.next();
            citus = row.getBoolean(1);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
    }

    @Test
    void aTransactionWithTwoQueriesTakesThreeRoundTripsAndTheFirstCarriesTheScope() {
        tap.reset();
        List<String> settings = sentinel.tenant(tenant, Actor.service("counter")).inTransaction(tx -> {
            tx.table(WIDGETS).count(WIDGETS.NAME.eq("x"));
            return List.of(tx.dsl().fetchSingle("select current_setting('row_security'), current_setting('statement_timeout'),"
                    + " current_setting('lock_timeout'), current_setting('search_path'), current_setting('sentinel.scope'),"
                    + " current_setting('sentinel.tenant_id'), current_setting('sentinel.actor_id'),"
                    + " current_setting('sentinel.request_id'), current_setting('sentinel.traceparent')").intoArray())
                    .stream().map(String::valueOf).toList();
        });

        List<List<String>> trips = tap.roundTrips();
        // On Citus the settings are SET LOCAL statements with their values written in: they go alone,
        // so that the query's text stays the same and is prepared on the server.
        assertThat(trips).describedAs("BEGIN + settings + the query, the settings read back, COMMIT: %s", trips)
                .hasSize(citus ? 4 : 3);
        assertThat(trips.get(0).get(0)).isEqualTo("BEGIN");
        assertThat(trips.get(0).get(1)).isEqualTo("SET TRANSACTION READ WRITE");
        if (citus) {
            assertThat(trips.get(0)).describedAs("on Citus: SET LOCAL statements, the propagation to the workers first")
                    .hasSize(14).element(2).isEqualTo("SET LOCAL citus.propagate_set_commands = 'local'");
            assertThat(trips.get(0).get(13)).describedAs("the closed-tenant pin, the tenant written in")
                    .isEqualTo("select sentinel.pin_closed_tenant('" + tenant + "')");
            assertThat(trips.get(0).get(3)).describedAs("the reference tables' writes from the coordinator only")
                    .isEqualTo("SET LOCAL citus.allow_modifications_from_workers_to_replicated_tables = off");
        } else {
            assertThat(trips.get(0)).describedAs("BEGIN, the mode, then the pins and five settings in one statement whose"
                    + " text is the same on every transaction (the values are binds), the closed-tenant pin, the query").hasSize(5);
            assertThat(trips.get(0).get(2)).startsWith("select pg_catalog.set_config('row_security', 'on', true)")
                    .endsWith("pg_catalog.set_config('sentinel.traceparent', $8, true)");
            assertThat(trips.get(0).get(3)).isEqualTo("select sentinel.pin_closed_tenant($1)");
        }
        assertThat(settings.subList(0, 3)).describedAs("row security and the timeouts").containsExactly("on", "0", "0");
        assertThat(settings.get(3)).describedAs("the search path (SET LOCAL, on Citus, shows its names unquoted)")
                .isIn("\"public\", pg_temp", "public, pg_temp");
        assertThat(settings.subList(4, 7)).describedAs("the scope, tenant and actor")
                .containsExactly("tenant", tenant.toString(), "service:counter");
        assertThat(settings.get(7)).describedAs("the request id").isNotBlank();
        assertThat(settings.get(8)).describedAs("empty: no trace in the MDC, and none left from an earlier transaction").isEmpty();
        assertThat(citus ? trips.get(1).get(0) : trips.get(0).get(trips.get(0).size() - 1)).describedAs("the first query")
                .startsWith("select count(*)");
        assertThat(trips.get(trips.size() - 1)).describedAs("Sentinel's settings emptied at session level, then COMMIT, in one round trip")
                .containsExactly("select pg_catalog.set_config('sentinel.scope', '', false),"
                        + " pg_catalog.set_config('sentinel.tenant_id', '', false), pg_catalog.set_config('sentinel.actor_id', '', false),"
                        + " pg_catalog.set_config('sentinel.request_id', '', false),"
                        + " pg_catalog.set_config('sentinel.traceparent', '', false)", "COMMIT");
    }

    @Test
    void theSystemScopeSendsNoClosedTenantPinSinceItHasNoTenant() throws Exception {
        List<List<String>> trips;
        try (TappedConnection system = TappedConnection.open(db, db.roles().system())) {
            Sentinel tapped = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(system.dataSource()).build();
            system.tap().reset();
            tapped.system(Actor.service("counter")).inTransaction(tx -> tx.dsl().fetchSingle("select 1"));
            trips = system.tap().roundTrips();
        }
        assertThat(trips).describedAs("%s", trips).hasSize(citus ? 3 : 2);
        assertThat(trips.get(0)).describedAs("BEGIN, the mode, the pins and settings (the query); no closed-tenant pin")
                .noneMatch(statement -> statement.contains("pin_closed_tenant"));
        assertThat(trips.get(0)).hasSize(citus ? 13 : 4);
    }

    @Test
    void aTransactionOfSentinelsOwnSqlAloneCommitsWithoutTheSessionReset() {
        Scope scope = sentinel.tenant(tenant, Actor.service("counter"));
        // The first reads the columns' metadata once per connection (pgjdbc caches it).
        scope.useTransaction(tx -> tx.jobs().enqueue("counted.job", "{}"));
        tap.reset();
        scope.useTransaction(tx -> tx.jobs().enqueue("counted.job", "{}"));
        List<List<String>> trips = tap.roundTrips();
        assertThat(trips).describedAs("the settings with the enqueue, then COMMIT: %s", trips).hasSize(2);
        assertThat(trips.get(1)).describedAs("no statement of the caller's could have set a session-level setting")
                .containsExactly("COMMIT");

        tap.reset();
        scope.useTransaction(tx -> {
            tx.jobs().enqueue("counted.job", "{}");
            tx.dsl().fetchSingle("select 1");
        });
        trips = tap.roundTrips();
        assertThat(trips.get(trips.size() - 1)).describedAs("a statement through tx.dsl() may have: the reset goes first")
                .hasSize(2).last().isEqualTo("COMMIT");
        assertThat(trips.get(trips.size() - 1).get(0)).startsWith("select pg_catalog.set_config('sentinel.scope', '', false)");
    }

    @Test
    void optionsRideInTheSameFirstRoundTrip() {
        tap.reset();
        String timeout = sentinel.tenant(tenant, Actor.service("counter"))
                .with(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE).withReadOnly().withStatementTimeout(Duration.ofSeconds(2)))
                .inTransaction(tx -> tx.dsl().fetchSingle("select current_setting('statement_timeout')").get(0, String.class));

        List<List<String>> trips = tap.roundTrips();
        assertThat(trips).describedAs("%s", trips).hasSize(citus ? 3 : 2);
        assertThat(trips.get(0)).contains("BEGIN", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY");
        assertThat(timeout).describedAs("the transaction's statement timeout, set in the same round trip").isEqualTo("2s");
    }

    @Test
    void repositoryWritesAreOneStatementEach() {
        tap.reset();
        sentinel.tenant(tenant, Actor.service("counter")).useTransaction(tx -> {
            WidgetsRecord widget = tx.table(WIDGETS).insert(new WidgetsRecord().setName("counted"));
            tx.table(WIDGETS).update(widget.setQuantity(3));
            tx.table(WIDGETS).softDelete(widget.getId(), "counted");
        });
        assertThat(tap.roundTrips()).describedAs("setup with the insert, update, soft delete, commit: %s", tap.roundTrips())
                .hasSize(citus ? 5 : 4);
    }
}
