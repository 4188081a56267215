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
 * The scope costs one round trip per transaction, however many settings it carries: BEGIN, the
 * isolation level and every SET LOCAL travel together. Counted on the wire, by a proxy that reads
 * the PostgreSQL protocol between the driver and the server.
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
        sentinel = Sentinel.builder().dataSource(connection.dataSource()).build();
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
    void aTransactionWithOneQueryTakesThreeRoundTripsAndTheFirstCarriesTheScope() {
        tap.reset();
        sentinel.tenant(tenant, Actor.service("counter")).useTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("x")));

        List<List<String>> trips = tap.roundTrips();
        assertThat(trips).describedAs("BEGIN + settings, the query, COMMIT: %s", trips).hasSize(3);
        assertThat(trips.get(0)).describedAs("the first round trip: BEGIN, the pins and five settings (on Citus, with the"
                + " propagation of SET LOCAL to the workers and the reference tables' coordinator-only writes first among the"
                + " pins)").hasSize(citus ? 13 : 11);
        assertThat(trips.get(0).get(0)).isEqualTo("BEGIN");
        if (citus) {
            assertThat(trips.get(0).get(2)).isEqualTo("SET LOCAL citus.propagate_set_commands = 'local'");
            assertThat(trips.get(0).get(3)).isEqualTo("SET LOCAL citus.allow_modifications_from_workers_to_replicated_tables = off");
        }
        assertThat(String.join("; ", trips.get(0)))
                .contains("SET TRANSACTION READ WRITE")
                .contains("SET LOCAL row_security = on")
                .contains("SET LOCAL statement_timeout = 0")
                .contains("SET LOCAL lock_timeout = 0")
                .contains("SET LOCAL search_path = \"public\", pg_temp")
                .contains("SET LOCAL sentinel.scope = 'tenant'")
                .contains("SET LOCAL sentinel.tenant_id = '" + tenant + "'")
                .contains("SET LOCAL sentinel.actor_id = 'service:counter'")
                .contains("SET LOCAL sentinel.request_id = '")
                .describedAs("empty: no trace in the MDC, and none left from an earlier transaction")
                .contains("SET LOCAL sentinel.traceparent = ''");
        assertThat(trips.get(1)).singleElement().asString().startsWith("select count(*)");
        assertThat(trips.get(2)).describedAs("Sentinel's settings reset at session level, then COMMIT, in one round trip")
                .containsExactly("RESET sentinel.scope", "RESET sentinel.tenant_id", "RESET sentinel.actor_id",
                        "RESET sentinel.request_id", "RESET sentinel.traceparent", "COMMIT");
    }

    @Test
    void optionsRideInTheSameFirstRoundTrip() {
        tap.reset();
        sentinel.tenant(tenant, Actor.service("counter"))
                .with(TxOptions.defaults().withIsolation(Isolation.SERIALIZABLE).withReadOnly().withStatementTimeout(Duration.ofSeconds(2)))
                .useTransaction(tx -> tx.table(WIDGETS).count(WIDGETS.NAME.eq("x")));

        List<List<String>> trips = tap.roundTrips();
        assertThat(trips).describedAs("%s", trips).hasSize(3);
        assertThat(trips.get(0)).contains("BEGIN", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY",
                "SET LOCAL statement_timeout = 2000");
    }

    @Test
    void repositoryWritesAreOneStatementEach() {
        tap.reset();
        sentinel.tenant(tenant, Actor.service("counter")).useTransaction(tx -> {
            WidgetsRecord widget = tx.table(WIDGETS).insert(new WidgetsRecord().setName("counted"));
            tx.table(WIDGETS).update(widget.setQuantity(3));
            tx.table(WIDGETS).softDelete(widget.getId(), "counted");
        });
        assertThat(tap.roundTrips()).describedAs("setup, insert, update, soft delete, commit: %s", tap.roundTrips()).hasSize(5);
    }
}
