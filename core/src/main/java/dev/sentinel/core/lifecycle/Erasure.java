package dev.sentinel.core.lifecycle;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.internal.ErrorTranslator;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Erasure of one person within a tenant: their personal values removed from the live row and from
 * every audit diff, while the sealed audit chain still verifies and still detects tampering.
 *
 * <p><b>How.</b> A column commented {@code sentinel:personal} never reaches an audit diff in clear:
 * the audit trigger writes a salted commitment to the value, and keeps the value and its salt in a
 * side table of the trail, keyed by the table and row (kernel V32). The chain's HMAC covers the
 * commitments only. Erasure sets the row's personal columns to null (or, where a column is NOT
 * NULL, to the placeholder {@code erased.<row id>@erased.invalid}) and deletes every side-table
 * value of that row; reading the trail then shows {@code "[erased]"} where the values were. One
 * record goes to the system trail: who asked, when, which table and row, of which tenant, and the
 * counts; no personal value.
 *
 * <p><b>Who.</b> A person is the row of a table with personal columns ({@link ErasureSubject}).
 * Values of the same person in other rows (another table that repeats their e-mail address, a
 * free-text note, a job's payload) are not found by erasure; erase each such row, or model them as
 * personal columns of rows that can be erased.
 *
 * <p><b>Where it runs.</b> As the owner role, through the owner's DataSource (the direct
 * connection that runs the migrations), in the system scope. The runtime pools cannot reach it: the
 * function {@code sentinel.erase_person} is granted to no other role, and the application role may
 * not delete from the side tables. Thread-safe; each call is one transaction on its own connection.
 *
 * <pre>{@code
 * ErasureReport report = Erasure.using(ownerDataSource)
 *         .erase(ErasureSubject.tenantRow(tenantId, LEADS, leadId), Actor.user(adminId));
 * }</pre>
 */
public final class Erasure {

    private final DataSource owner;

    private Erasure(DataSource owner) {
        this.owner = owner;
    }

    /**
     * The erasure entry point over the owner role's connections.
     *
     * @param ownerDataSource connections as the role that owns Sentinel's schema (the one that
     *     migrates), not the runtime pools
     * @return the entry point
     * @throws InvalidInputException if the DataSource is null
     */
    public static Erasure using(DataSource ownerDataSource) {
        if (ownerDataSource == null) {
            throw new InvalidInputException("Erasure.using: ownerDataSource is null; pass the owner role's DataSource,"
                    + " the one that runs the migrations");
        }
        return new Erasure(ownerDataSource);
    }

    /**
     * Erases one person in one transaction: the personal values of their row, every value of that
     * row in the trails' side tables, and a record of the erasure in the system trail. Bad input
     * writes nothing.
     *
     * @param subject the person's row
     * @param requestedBy who asked for the erasure; named in its record
     * @return what was erased
     * @throws InvalidInputException if an argument is null, or the table does not exist or has no
     *     personal column, or the subject names a tenant for a global table or none for a tenant table
     * @throws NotFoundException if the tenant has no such row (a row of another tenant included)
     * @throws PermissionDeniedException if the DataSource is not the owner role's
     */
    public ErasureReport erase(ErasureSubject subject, Actor requestedBy) {
        if (subject == null) {
            throw new InvalidInputException("erase: subject is null; name the person's row with ErasureSubject");
        }
        if (requestedBy == null) {
            throw new InvalidInputException("erase: requestedBy is null; name who asked for the erasure");
        }
        String schema = subject.table().getSchema().getName();
        String name = subject.table().getName();
        try (Connection connection = owner.getConnection()) {
            connection.setAutoCommit(false);
            try {
                ErasureReport report = erase(connection, schema, name, subject, requestedBy);
                connection.commit();
                return report;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e, schema + "." + name);
        }
    }

    private static ErasureReport erase(Connection connection, String schema, String name, ErasureSubject subject,
            Actor requestedBy) throws SQLException {
        try (Statement settings = connection.createStatement()) {
            // The actor's setting value holds only characters that are safe inside a literal.
            settings.execute("set local sentinel.scope = 'system'; set local sentinel.tenant_id = '';"
                    + " set local sentinel.actor_id = '" + requestedBy.settingValue() + "'");
        }
        String table;
        List<String> columns;
        int liveValues;
        long trailValues;
        try (PreparedStatement erase = connection.prepareStatement("""
                select e.r ->> 'table', (e.r ->> 'live_values')::int, (e.r ->> 'trail_values')::int8,
                       array(select jsonb_array_elements_text(e.r -> 'columns'))
                  from (select sentinel.erase_person(to_regclass(format('%I.%I', ?::text, ?::text)), ?, ?) as r) e
                """)) {
            erase.setString(1, schema);
            erase.setString(2, name);
            erase.setObject(3, subject.tenantId());
            erase.setObject(4, subject.rowId());
            try (ResultSet row = erase.executeQuery()) {
                row.next();
                table = row.getString(1);
                liveValues = row.getInt(2);
                trailValues = row.getLong(3);
                Array names = row.getArray(4);
                columns = List.of((String[]) names.getArray());
                names.free();
            }
        }
        UUID recordId = Ids.next();
        OffsetDateTime occurredAt;
        try (PreparedStatement record = connection.prepareStatement("""
                insert into sentinel.system_audit_log (id, action, entity_type, entity_id, message, meta)
                values (?, 'person.erase', ?, ?, 'The personal values of one person were erased from the live row and the audit trails.',
                        jsonb_build_object('scope', 'system', 'tenant_id', ?::uuid, 'columns', to_jsonb(?::text[]),
                                           'live_values', ?::int, 'trail_values', ?::int8))
                returning occurred_at
                """)) {
            record.setObject(1, recordId);
            record.setString(2, table);
            record.setObject(3, subject.rowId());
            record.setObject(4, subject.tenantId());
            record.setArray(5, connection.createArrayOf("text", columns.toArray()));
            record.setInt(6, liveValues);
            record.setLong(7, trailValues);
            try (ResultSet row = record.executeQuery()) {
                row.next();
                occurredAt = row.getObject(1, OffsetDateTime.class);
            }
        }
        return new ErasureReport(recordId, occurredAt, table, subject.tenantId(), subject.rowId(), columns, liveValues,
                trailValues);
    }

    private static SentinelException translate(SQLException error, String table) {
        String state = error.getSQLState() == null ? "" : error.getSQLState();
        return switch (state) {
            case "P0002" -> new NotFoundException(error.getMessage() + ". Nothing was erased; check the tenant and the row id"
                    + " (a row of another tenant is not found either)", error);
            case "22023", "22004" -> new InvalidInputException("erase " + table + ": " + message(error) + ". Nothing was erased", error);
            case "42501" -> new PermissionDeniedException("erase " + table + ": " + message(error) + ". Erasure runs as the"
                    + " owner role: pass Erasure.using the owner's DataSource (the one that migrates), not a runtime pool."
                    + " Nothing was erased", error);
            default -> ErrorTranslator.translate(error, error);
        };
    }

    private static String message(SQLException error) {
        String message = error.getMessage();
        int hint = message == null ? -1 : message.indexOf("\n");
        return hint < 0 ? String.valueOf(message) : message.substring(0, hint);
    }
}
