package dev.sentinel.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Where the audit trigger's time goes, on the server alone: each write runs {@value #ROWS} times in
 * one {@code DO} block (no round trip, no Java), as the application role in a tenant's scope, for
 * three tables of work per row: the row alone on {@code plain_notes}; the row on
 * {@code plain_notes} plus the audit row as hand-written code sends it (a literal diff); the row on
 * {@code notes}, whose trigger builds and writes the audit row. The differences split the
 * trigger's cost into the audit row itself, which hand-written code pays too, and the trigger's
 * own work (PL/pgSQL, reading the settings, building the diff from {@code to_jsonb}). The blocks
 * run interleaved, {@value #REPEATS} times; the median per row is reported. Per-transaction costs
 * (the foreign key's share lock on the tenant row, the commit) are paid once per block, so they
 * are not in these numbers.
 */
final class ServerBreakdown {

    static final int ROWS = 400;
    static final int REPEATS = 7;

    /** The kinds of work, in report order. */
    static final List<String> KINDS = List.of("row only", "row + audit row by hand", "row + audit row by trigger");

    private ServerBreakdown() {
    }

    /**
     * Measures inserts and updates.
     *
     * @param dataSource connections as the application role
     * @param tenantId a tenant to write in
     * @return µs per row, by write ({@code insert}, {@code update}) and kind of work
     * @throws SQLException if a block fails
     */
    static Map<String, Map<String, Double>> measure(DataSource dataSource, UUID tenantId) throws SQLException {
        Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (int repeat = 0; repeat < REPEATS; repeat++) {
                for (String write : List.of("insert", "update")) {
                    for (String kind : KINDS) {
                        double micros = run(connection, tenantId, write, kind);
                        if (repeat > 0) { // the first repeat warms caches and plans
                            samples.computeIfAbsent(write, w -> new LinkedHashMap<>())
                                    .computeIfAbsent(kind, k -> new ArrayList<>()).add(micros);
                        }
                    }
                }
            }
        }
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        samples.forEach((write, kinds) -> kinds.forEach((kind, values) ->
                medians.computeIfAbsent(write, w -> new LinkedHashMap<>()).put(kind, Report.OverRounds.of(values).median())));
        return medians;
    }

    private static double run(Connection connection, UUID tenantId, String write, String kind) throws SQLException {
        String table = kind.endsWith("trigger") ? "notes" : "plain_notes";
        boolean byHand = kind.endsWith("by hand");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL sentinel.scope = 'tenant'; SET LOCAL sentinel.tenant_id = '" + tenantId
                    + "'; SET LOCAL sentinel.actor_id = '" + tenantId + "'; SET LOCAL sentinel.request_id = 'breakdown'");
            String audit = byHand ? "insert into sentinel.audit_log (tenant_id, id, action, entity_type,"
                    + " entity_id, diff, meta, request_id) values (t, gen_random_uuid(), '" + write + "',"
                    + " 'public.plain_notes', i, " + (write.equals("insert") ? INSERT_DIFF : UPDATE_DIFF) + "::jsonb,"
                    + " '{\"scope\": \"tenant\"}'::jsonb, 'breakdown');" : "";
            String body;
            if (write.equals("insert")) {
                body = "for n in 1.." + ROWS + " loop i := gen_random_uuid();"
                        + " insert into " + table + " (tenant_id, id, title, body, created_at, updated_at)"
                        + " values (t, i, 'Note ' || n, '" + AbstractNotes.BODY + "', now(), now()); " + audit + " end loop;";
            } else {
                // The rows to update are inserted first, untimed, and their ids kept in a temporary table.
                statement.execute("create temporary table if not exists breakdown_ids (id uuid) on commit delete rows");
                statement.execute(block("for n in 1.." + ROWS + " loop i := gen_random_uuid(); insert into " + table
                        + " (tenant_id, id, title, body) values (t, i, 'Note ' || n, '" + AbstractNotes.BODY + "');"
                        + " insert into breakdown_ids values (i); end loop;", tenantId));
                body = "for i in select id from breakdown_ids loop"
                        + " update " + table + " set title = 'Updated', priority = 7, updated_at = now(), version = version + 1"
                        + " where id = i and tenant_id = t and deleted_at is null; " + audit + " end loop;";
            }
            long start = System.nanoTime();
            statement.execute(block(body, tenantId));
            long elapsed = System.nanoTime() - start;
            connection.commit();
            return elapsed / 1_000.0 / ROWS;
        }
    }

    private static String block(String body, UUID tenantId) {
        return "do $$ declare t uuid := '" + tenantId + "'; i uuid; n int; begin " + body + " end $$";
    }

    // What the hand-written variants send for one row (see HandAudit), as literals of the same size.
    private static final String INSERT_DIFF = "'{\"id\": {\"new\": \"01a20628-1982-7507-ae15-6c8bceb79725\"},"
            + " \"body\": {\"new\": \"" + AbstractNotes.BODY + "\"}, \"title\": {\"new\": \"Note 1\"},"
            + " \"status\": {\"new\": \"open\"}, \"version\": {\"new\": 1}, \"priority\": {\"new\": 0},"
            + " \"tenant_id\": {\"new\": \"01a20628-1982-7507-ae15-6c8bceb79725\"},"
            + " \"created_at\": {\"new\": \"2026-11-23T02:07:00.977094+00:00\"},"
            + " \"updated_at\": {\"new\": \"2026-11-23T02:07:00.977094+00:00\"}}'";
    private static final String UPDATE_DIFF = "'{\"title\": {\"new\": \"Note 173\", \"old\": \"Note 165\"},"
            + " \"version\": {\"new\": 4, \"old\": 3}, \"priority\": {\"new\": 77, \"old\": 69},"
            + " \"updated_at\": {\"new\": \"2026-11-23T02:07:00.995138+00:00\", \"old\": \"2026-11-23T02:07:00.977094+00:00\"}}'";
}
