package dev.sentinel.bench;

import dev.sentinel.schema.Roles;
import dev.sentinel.testing.WireTap;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Counts, for every benchmark, the round trips and the statements of one operation, outside the
 * timed loops: the operations run through a {@link WireTap} (round trips on the wire) and a
 * {@link CountingDataSource} (statements the code sends), in the steady state (after pgjdbc has
 * switched to server-prepared statements), averaged over a few calls.
 */
final class RoundTrips {

    /**
     * What one operation costs in messages.
     *
     * @param roundTrips round trips per call
     * @param statements statements per call (including commit; BEGIN rides with the first)
     * @param firstCall the SQL of each round trip of the first, cold call (later calls send
     *     prepared statements without their text)
     */
    record Count(double roundTrips, double statements, List<List<String>> firstCall) {
    }

    private static final int WARM_CALLS = 6;
    private static final int COUNTED_CALLS = 5;

    private final WireTap tap;
    private final CountingDataSource counting;
    private final Map<String, Count> counts = new LinkedHashMap<>();

    private RoundTrips(WireTap tap, CountingDataSource counting) {
        this.tap = tap;
        this.counting = counting;
    }

    /**
     * What {@link #countAll} found.
     *
     * @param counts by benchmark ({@code Scenario.method}, as JMH names them without the package)
     * @param auditRows the newest update's audit row as the trigger and as hand-written jOOQ wrote it
     */
    record Counted(Map<String, Count> counts, Map<String, String> auditRows) {
    }

    /**
     * Counts every benchmark's operation on a migrated benchmark database.
     *
     * @param port the PostgreSQL server's port on loopback
     * @param database the database
     * @param user the application role
     * @param password its password
     * @return the counts, and audit rows for the report
     * @throws IOException if the proxy cannot start
     */
    static Counted countAll(int port, String database, String user, String password) throws IOException {
        try (WireTap tap = WireTap.to(port)) {
            CountingDataSource counting = new CountingDataSource(Fixture.dataSource("jdbc:postgresql://localhost:" + tap.port()
                    + "/" + database + "?sslmode=disable&gssEncMode=disable", user, password));
            // The system scope only sets up (the tenant), on a direct connection the tap does not count.
            DataSource system = Fixture.dataSource("jdbc:postgresql://localhost:" + port + "/" + database, Roles.DEFAULT_SYSTEM, password);
            try (Fixture fixture = Fixture.open(counting, system)) {
                Map<String, Count> counts = new RoundTrips(tap, counting).count(fixture);
                Map<String, String> auditRows = new LinkedHashMap<>();
                // Sentinel's update ran last on notes and the jOOQ variant's last on plain_notes.
                auditRows.put("trigger (Sentinel)", fixture.latestAudit("public.notes", "update"));
                auditRows.put("by hand (jOOQ)", fixture.latestAudit(HandAudit.ENTITY_TYPE, "update"));
                return new Counted(counts, auditRows);
            }
        }
    }

    private Map<String, Count> count(Fixture fixture) {
        fixture.seedReads(200);
        for (String name : List.of("jdbc", "jooq", "sentinel", "hibernate")) {
            NoteOps ops = fixture.variant(name);
            ops.hold(8);
            measure("TrivialTransaction." + name, ops::trivialTransaction, null);
            measure("Insert." + name, ops::insert, null);
            measure("FindById." + name, ops::find, null);
            measure("ListPage." + name, ops::listPage, null);
            measure("Update." + name, ops::update, null);
            measure("SoftDelete." + name, ops::softDelete, ops::prepareSoftDelete);
            measure("TenMutations." + name, ops::tenMutations, null);
            if (!name.equals("jdbc")) {
                measure("HundredInserts." + name, ops::hundredInserts, null);
            }
        }
        measure("TenMutations.sentinelBatched", fixture.sentinel()::tenMutationsBatched, null);
        NoteOps audited = fixture.sentinel();
        NoteOps unaudited = fixture.sentinelUnaudited();
        unaudited.hold(8);
        measure("AuditTrigger.insertAudited", audited::insert, null);
        measure("AuditTrigger.insertUnaudited", unaudited::insert, null);
        measure("AuditTrigger.updateAudited", audited::update, null);
        measure("AuditTrigger.updateUnaudited", unaudited::update, null);
        return counts;
    }

    private void measure(String benchmark, Supplier<Object> operation, Runnable prepare) {
        List<List<String>> firstCall = null;
        for (int i = 0; i < WARM_CALLS; i++) {
            if (prepare != null) {
                prepare.run();
            }
            tap.reset();
            operation.get();
            if (i == 0) {
                firstCall = tap.roundTrips();
            }
        }
        long trips = 0;
        long statements = 0;
        for (int i = 0; i < COUNTED_CALLS; i++) {
            if (prepare != null) {
                prepare.run();
            }
            tap.reset();
            counting.reset();
            operation.get();
            trips += tap.roundTrips().size();
            statements += counting.statements();
        }
        counts.put(benchmark, new Count((double) trips / COUNTED_CALLS, (double) statements / COUNTED_CALLS, firstCall));
    }
}
