package dev.sentinel.schema.tools.lint;

import java.util.Locale;

/**
 * The rules the {@link SchemaLinter} checks. Each keeps tenants apart, or keeps the audit trail
 * honest, and each is what a table needs before Citus can distribute it by {@code tenant_id}.
 * docs/linter.md explains every rule, why it exists and how to fix a finding.
 *
 * <p>A <em>tenant table</em> has a {@code tenant_id} column; {@code sentinel.tenants}, whose
 * {@code id} is the tenant id, is the root and counts as one too. A <em>global table</em> has
 * neither. Flyway's history tables are not linted.
 */
public enum Rule {

    /** A tenant table's primary key, unique constraints and unique indexes lead with {@code tenant_id}. */
    TENANT_KEY("A tenant table's primary key, unique constraints and unique indexes lead with tenant_id."),

    /** A foreign key from a tenant table to another tenant table pairs {@code tenant_id} with {@code tenant_id}. */
    FOREIGN_KEY_WITHOUT_TENANT("A foreign key between tenant tables includes tenant_id on both sides."),

    /** No {@code ON DELETE/UPDATE SET NULL} or {@code SET DEFAULT} action would change {@code tenant_id}. */
    FOREIGN_KEY_NULLS_TENANT("No SET NULL or SET DEFAULT action of a foreign key changes tenant_id."),

    /** {@code tenant_id} is {@code uuid not null}: a tenant table holds no global rows. */
    TENANT_ID_COLUMN("tenant_id is uuid not null: a tenant table holds no global rows."),

    /** Row-level security is enabled on every table. */
    RLS_NOT_ENABLED("Row-level security is enabled on every table."),

    /** Row-level security is forced, so that the owner obeys the policies too. */
    RLS_NOT_FORCED("Row-level security is forced, so that the owner obeys the policies too."),

    /**
     * The policies let a tenant reach its own rows and the system scope reach every row (a global
     * table: the system scope).
     */
    POLICY_MISSING("Policies let the tenant scope reach its own rows and the system scope every row."),

    /**
     * Tested by behaviour: the application role with no tenant set, or with another tenant set,
     * reaches no row of a tenant table.
     */
    POLICY_LEAKS("With no tenant set, or another tenant set, the application role reaches no row."),

    /** The policies can be evaluated as the application role in every scope, with no tenant set too. */
    POLICY_ERROR("The policies evaluate without an error as the application role, also with no tenant set."),

    /**
     * A tenant table has one permissive SELECT policy for the application role. PostgreSQL ORs
     * permissive policies, and an OR is no index condition: the attacker's own {@code tenant_id = B
     * and ...} then leads the index scan and the policy filters after it, so {@code EXPLAIN
     * ANALYZE}'s "Rows Removed by Filter" answers questions about another tenant's rows.
     */
    POLICY_COMBINED("A tenant table has one permissive SELECT policy for the application role, which the planner can use as an index condition."),

    /** The application role is not a superuser (superusers skip row-level security). */
    APP_ROLE_SUPERUSER("The application role is not a superuser."),

    /** The application role does not have {@code BYPASSRLS}. */
    APP_ROLE_BYPASSRLS("The application role does not have BYPASSRLS."),

    /** The application role is not a member of a role that owns the tables. */
    APP_ROLE_MEMBER_OF_OWNER("The application role is not a member of the role that owns the tables."),

    /** The application role owns no object: an owner may disable row-level security or drop policies. */
    APP_ROLE_OWNS_OBJECTS("The application role owns no object."),

    /** The application role holds no {@code TRUNCATE}, which ignores row-level security. */
    APP_ROLE_TRUNCATE("The application role holds no TRUNCATE privilege, which ignores row-level security."),

    /**
     * Every table has the audit triggers, enabled, after insert, update and delete (the row trigger
     * {@code sentinel_audit}, and off Citus the statement-level {@code sentinel_audit_insert} for
     * inserts), unless its comment says {@code sentinel:unaudited <reason>}.
     */
    AUDIT_TRIGGER_MISSING("Every table has the audit trigger, unless its comment says sentinel:unaudited <reason>."),

    /** The audit trigger's arguments name the table's tenant column and its current secret columns. */
    AUDIT_TRIGGER_STALE("The audit trigger's arguments name the tenant column and the current secret columns."),

    /**
     * An audit table (append-only) is writable by nothing but {@code INSERT}: the application role
     * holds no {@code UPDATE}, {@code DELETE} or {@code TRUNCATE}, and a statement-level trigger
     * rejects them for every role.
     */
    AUDIT_TABLE_WRITABLE("An audit table accepts INSERT only, from every role."),

    /** A column commented {@code sentinel:secret} has a CHECK calling {@code sentinel.is_secret_ciphertext}. */
    SECRET_WITHOUT_CHECK("A sentinel:secret column has a CHECK calling sentinel.is_secret_ciphertext."),

    /**
     * A column commented {@code sentinel:personal} can be erased: its table has a uuid {@code id} (or
     * {@code user_id}), it is nullable or a text type that holds the placeholder, it is not also
     * {@code sentinel:secret}, and every generated column computed from it is personal too.
     */
    PERSONAL_COLUMN("A sentinel:personal column can be erased: a uuid id (or user_id), nullable or text, not secret, its generated copies personal too."),

    /** No policy holds a subquery, which Citus refuses on distributed and reference tables. */
    POLICY_SUBQUERY("No policy holds a subquery: Citus refuses one."),

    /**
     * No {@code ON DELETE SET NULL (column)} or {@code SET DEFAULT (column)} on a foreign key that
     * contains {@code tenant_id}: Citus refuses both on keys with the distribution column.
     */
    CITUS_SET_NULL_KEY("No SET NULL (column) or SET DEFAULT (column) on a foreign key containing tenant_id: Citus refuses it."),

    /**
     * No {@code ON UPDATE CASCADE} on a foreign key that contains {@code tenant_id} (Prisma's default
     * for every relation): Citus refuses it on keys with the distribution column.
     */
    CITUS_UPDATE_CASCADE("No ON UPDATE CASCADE on a foreign key containing tenant_id: Citus refuses it."),

    /** Every table was placed by {@code sentinel.distribute} in the migration that created it. */
    NOT_DISTRIBUTED("Every table is placed by sentinel.distribute, as Citus needs.");

    private final String summary;

    Rule(String summary) {
        this.summary = summary;
    }

    /**
     * The rule in one sentence, as docs/linter.md states it.
     *
     * @return the summary
     */
    public String summary() {
        return summary;
    }

    /**
     * The rule's short id for reports, such as {@code tenant-key}: the constant's name in lower
     * case with hyphens.
     *
     * @return the id
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
