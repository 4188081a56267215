package dev.sentinel.core.lifecycle;

import dev.sentinel.core.InvalidInputException;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Table;

/**
 * Whom an erasure concerns: one person, the row of a table with {@code sentinel:personal} columns
 * (a lead, a client, a user), named by the table's generated jOOQ class and the row's id. A tenant
 * table's row is named with its tenant; a global table's (such as {@code users}) without one.
 * Immutable and thread-safe.
 *
 * @param tenantId the tenant of the row, or {@code null} for a row of a global table
 * @param table the table, from the generated classes (for example {@code LEADS} or {@code USERS})
 * @param rowId the row's {@code id}
 */
public record ErasureSubject(UUID tenantId, Table<?> table, UUID rowId) {

    /**
     * Checks the parts.
     *
     * @throws InvalidInputException if the table or the row id is null, or the table has no schema
     */
    public ErasureSubject {
        if (table == null) {
            throw new InvalidInputException("ErasureSubject: table is null; pass the table's generated class, such as LEADS");
        }
        if (table.getSchema() == null) {
            throw new InvalidInputException("ErasureSubject: table " + table.getName() + " has no schema; pass the table"
                    + " class that jOOQ generated for it, which names its schema");
        }
        if (rowId == null) {
            throw new InvalidInputException("ErasureSubject: rowId is null; pass the id of the person's row");
        }
    }

    /**
     * The row of a tenant table.
     *
     * @param tenantId the tenant the row belongs to
     * @param table the table
     * @param rowId the row's id
     * @return the subject
     * @throws InvalidInputException if an argument is null
     */
    public static ErasureSubject tenantRow(UUID tenantId, Table<?> table, UUID rowId) {
        if (tenantId == null) {
            throw new InvalidInputException("ErasureSubject.tenantRow: tenantId is null; name the tenant of the row,"
                    + " or use globalRow for a table without tenant_id");
        }
        return new ErasureSubject(tenantId, table, rowId);
    }

    /**
     * The row of a global table (no {@code tenant_id}), such as a user. Its values are erased from
     * every trail: the system trail and the trails of the tenants in whose scope the row changed.
     *
     * @param table the table
     * @param rowId the row's id
     * @return the subject
     * @throws InvalidInputException if an argument is null
     */
    public static ErasureSubject globalRow(Table<?> table, UUID rowId) {
        return new ErasureSubject(null, table, rowId);
    }

    /**
     * The tenant of the row.
     *
     * @return the tenant, or empty for a global row
     */
    public Optional<UUID> tenant() {
        return Optional.ofNullable(tenantId);
    }
}
