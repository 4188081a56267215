package dev.sentinel.schema.tools.lint;

import static dev.sentinel.schema.tools.internal.Catalog.Trigger.BEFORE;
import static dev.sentinel.schema.tools.internal.Catalog.Trigger.DELETE;
import static dev.sentinel.schema.tools.internal.Catalog.Trigger.INSERT;
import static dev.sentinel.schema.tools.internal.Catalog.Trigger.INSTEAD;
import static dev.sentinel.schema.tools.internal.Catalog.Trigger.ROW;
import static dev.sentinel.schema.tools.internal.Catalog.Trigger.TRUNCATE;
import static dev.sentinel.schema.tools.internal.Catalog.Trigger.UPDATE;

import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.tools.internal.Catalog;
import dev.sentinel.schema.tools.internal.Catalog.Trigger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit rules: every table has the audit triggers (or says in its comment why not), they
 * audit every insert, update and delete, their arguments are current, and the audit tables accept
 * nothing but INSERT.
 */
final class AuditRules {

    /** The trigger {@code sentinel.audit_table(regclass)} attaches. */
    static final String AUDIT_TRIGGER = "sentinel_audit";

    private AuditRules() {
    }

    /**
     * Reads the triggers of the linted tables.
     *
     * @param session the session
     * @param oids the tables
     * @return each table's triggers, by oid
     * @throws SQLException if the catalog cannot be read
     */
    static Map<Long, List<Trigger>> triggers(Session session, Long[] oids) throws SQLException {
        return Catalog.triggers(session.connection(), oids);
    }

    /**
     * The secret columns (commented {@code sentinel:secret}) of the linted tables, in column order.
     *
     * @param session the session
     * @param oids the tables
     * @return each table's secret columns, by oid
     * @throws SQLException if the catalog cannot be read
     */
    static Map<Long, List<String>> secretColumns(Session session, Long[] oids) throws SQLException {
        return Catalog.secretColumns(session.connection(), oids);
    }

    /**
     * Whether a table is append-only: one of Sentinel's audit tables, or a table with a
     * {@code sentinel.reject_modification} trigger.
     *
     * @param run the run
     * @param table the table
     * @return true if append-only
     */
    static boolean appendOnly(LintRun run, LintTable table) {
        return Catalog.appendOnly(table.schema(), table.name(), run.triggers(table));
    }

    static void check(LintRun run) {
        for (LintTable table : run.tables) {
            List<Trigger> audit = run.triggers(table).stream()
                    .filter(Trigger::audit).toList();
            String attach = "select sentinel.audit_table('" + table.sqlName() + "');";
            if (audit.isEmpty()) {
                if (table.unauditedWithoutReason()) {
                    run.add(table, AUDIT_TRIGGER, Rule.AUDIT_TRIGGER_MISSING, table.display() + " has no audit"
                            + " trigger, and its comment says sentinel:unaudited without a reason.",
                            "Write the reason after the marker (sentinel:unaudited a cache, rebuilt from ...), or"
                                    + " audit the table: " + attach);
                } else if (!table.unaudited()) {
                    run.add(table, AUDIT_TRIGGER, Rule.AUDIT_TRIGGER_MISSING, table.display() + " has no audit trigger:"
                            + " its inserts, updates and deletes leave no row in the audit trail, raw SQL included.",
                            attach + " Or, if the table is deliberately not audited, say why in its comment:"
                                    + " comment on table ... is '... sentinel:unaudited <reason>'.");
                }
            }
            // The audit triggers: one row trigger on all three events, or (sentinel.audit_table off
            // Citus) a row trigger on UPDATE and DELETE and a statement-level one on INSERT.
            boolean broken = false;
            boolean staleReported = false;
            for (Trigger trigger : audit) {
                List<String> problems = new ArrayList<>();
                if (!trigger.fires()) {
                    problems.add("it is disabled");
                }
                if (trigger.on(BEFORE) || trigger.on(INSTEAD)) {
                    problems.add("it is not an AFTER trigger");
                }
                if (!trigger.on(ROW) && (trigger.on(UPDATE) || trigger.on(DELETE))) {
                    problems.add("it fires for each statement on UPDATE or DELETE, where the audit needs each row");
                }
                if (!problems.isEmpty()) {
                    broken = true;
                    run.add(table, trigger.name(), Rule.AUDIT_TRIGGER_MISSING, "The audit trigger " + trigger.name()
                            + " of " + table.display() + " does not audit every change: " + String.join(", ", problems)
                            + ".", "Re-attach it: " + attach);
                }
                List<String> stale = staleArguments(run, table, trigger);
                if (!stale.isEmpty() && !staleReported) {
                    // The pair carries the same arguments: one finding for the table.
                    staleReported = true;
                    run.add(table, trigger.name(), Rule.AUDIT_TRIGGER_STALE, "The arguments of the audit trigger "
                            + trigger.name() + " of " + table.display() + " are stale: " + String.join("; ", stale) + ".",
                            "Call sentinel.audit_table again after changing a column's sentinel:secret or"
                                    + " sentinel:personal comment: "
                                    + attach);
                }
            }
            if (!audit.isEmpty() && !broken) {
                List<String> uncovered = new ArrayList<>();
                for (int event : new int[] {INSERT, UPDATE, DELETE}) {
                    boolean covered = audit.stream().anyMatch(t -> t.on(event) && (t.on(ROW) || event == INSERT));
                    if (!covered) {
                        uncovered.add(event(event));
                    }
                }
                if (!uncovered.isEmpty()) {
                    run.add(table, audit.getFirst().name(), Rule.AUDIT_TRIGGER_MISSING, "The audit triggers of "
                            + table.display() + " do not audit every change: none fires on " + String.join(", ", uncovered)
                            + ".", "Re-attach them: " + attach);
                }
            }
            if (appendOnly(run, table)) {
                appendOnlyRule(run, table);
            }
        }
    }

    /**
     * Why a trigger's arguments no longer match the table (its name, tenant column, secret and
     * personal columns, and the function those call for), or nothing.
     */
    private static List<String> staleArguments(LintRun run, LintTable table, Trigger trigger) {
        String tenantColumn = table.tenantColumn() == null ? "" : table.tenantColumn();
        List<String> secrets = run.secretColumns(table);
        List<String> personal = run.personalColumns(table);
        // sentinel.audit_row(logical name, tenant column, secret columns...): the logical name
        // because on Citus tg_table_name is a shard's. sentinel.audit_personal_row adds '' (no
        // column has an empty name), the person's id column and the personal columns.
        List<String> arguments = trigger.arguments();
        String actualName = arguments.isEmpty() ? null : arguments.get(0);
        String actualTenant = arguments.size() < 2 ? null : arguments.get(1);
        List<String> rest = arguments.size() < 2 ? List.of() : arguments.subList(2, arguments.size());
        int separator = rest.indexOf("");
        Set<String> actualSecrets = new LinkedHashSet<>(separator < 0 ? rest : rest.subList(0, separator));
        Set<String> actualPersonal = new LinkedHashSet<>(separator < 0 || separator + 2 > rest.size() ? List.of()
                : rest.subList(separator + 2, rest.size()));
        List<String> stale = new ArrayList<>();
        String logicalName = table.schema().equals(SchemaNames.SCHEMA) ? table.name() : table.schema() + "." + table.name();
        if (!logicalName.equals(actualName)) {
            stale.add("it names the table '" + actualName + "', not '" + logicalName + "'");
        }
        if (!tenantColumn.equals(actualTenant)) {
            stale.add("it names the tenant column '" + actualTenant + "', not '" + tenantColumn + "'");
        }
        Set<String> unredacted = new LinkedHashSet<>(secrets);
        unredacted.removeAll(actualSecrets);
        if (!unredacted.isEmpty()) {
            stale.add("the secret column" + (unredacted.size() == 1 ? " " : "s ") + String.join(", ", unredacted)
                    + (unredacted.size() == 1 ? " was" : " were") + " marked sentinel:secret after it was"
                    + " attached, so the audit trail stores " + (unredacted.size() == 1 ? "its" : "their")
                    + " values unredacted");
        }
        actualSecrets.removeAll(secrets);
        if (!actualSecrets.isEmpty()) {
            stale.add("it redacts " + String.join(", ", actualSecrets) + ", which "
                    + (actualSecrets.size() == 1 ? "is" : "are") + " no longer a sentinel:secret column");
        }
        boolean personalFunction = trigger.function().equals(Catalog.AUDIT_PERSONAL_FUNCTION);
        Set<String> uncommitted = new LinkedHashSet<>(personal);
        uncommitted.removeAll(personalFunction ? actualPersonal : Set.of());
        if (!uncommitted.isEmpty()) {
            stale.add("the personal column" + (uncommitted.size() == 1 ? " " : "s ") + String.join(", ", uncommitted)
                    + (uncommitted.size() == 1 ? " was" : " were") + " marked sentinel:personal after it was"
                    + " attached, so the audit trail stores " + (uncommitted.size() == 1 ? "its" : "their")
                    + " values in clear, where erasure cannot reach them");
        }
        actualPersonal.removeAll(personal);
        if (!actualPersonal.isEmpty()) {
            stale.add("it keeps " + String.join(", ", actualPersonal) + " as personal, which "
                    + (actualPersonal.size() == 1 ? "is" : "are") + " no longer a sentinel:personal column");
        }
        if (personalFunction != !personal.isEmpty() && uncommitted.isEmpty() && actualPersonal.isEmpty()) {
            stale.add("it calls " + trigger.function() + ", not " + (personal.isEmpty() ? Catalog.AUDIT_FUNCTION
                    : Catalog.AUDIT_PERSONAL_FUNCTION));
        }
        return stale;
    }

    private static void appendOnlyRule(LintRun run, LintTable table) {
        List<String> problems = new ArrayList<>();
        List<String> privileges = new ArrayList<>();
        // Where the application role's privileges are an owner's, its role finding covers them.
        if (!run.ownerPrivileges(table)) {
            if (table.privileges().update()) {
                privileges.add("UPDATE");
            }
            if (table.privileges().delete()) {
                privileges.add("DELETE");
            }
            if (table.privileges().truncate()) {
                privileges.add("TRUNCATE");
            }
        }
        if (!privileges.isEmpty()) {
            problems.add(run.appRole + " holds " + String.join(", ", privileges) + " on it");
        }
        Set<String> unguarded = new LinkedHashSet<>();
        for (int event : new int[] {UPDATE, DELETE, TRUNCATE}) {
            boolean guarded = run.triggers(table).stream().anyMatch(t -> t.fires() && t.on(BEFORE) && !t.on(ROW)
                    && t.on(event) && t.function().equals(Catalog.REJECT_FUNCTION));
            if (!guarded) {
                unguarded.add(event(event));
            }
        }
        if (!unguarded.isEmpty()) {
            problems.add("no enabled statement-level sentinel.reject_modification trigger rejects "
                    + String.join(", ", unguarded) + " for every role, the owner and superusers included");
        }
        if (problems.isEmpty()) {
            return;
        }
        List<String> fixes = new ArrayList<>();
        if (!privileges.isEmpty()) {
            fixes.add("REVOKE " + String.join(", ", privileges) + " ON " + table.sqlName() + " FROM " + run.appRole + ";");
        }
        if (!unguarded.isEmpty()) {
            fixes.add("CREATE TRIGGER ... BEFORE UPDATE OR DELETE OR TRUNCATE ON " + table.sqlName()
                    + " FOR EACH STATEMENT EXECUTE FUNCTION sentinel.reject_modification();");
        }
        run.add(table, "append-only", Rule.AUDIT_TABLE_WRITABLE, table.display() + " is an audit table, so it must"
                + " accept INSERT only, but " + String.join(", and ", problems) + ": audit rows could be edited or"
                + " removed.", String.join(" ", fixes));
    }

    private static String event(int event) {
        return switch (event) {
            case INSERT -> "INSERT";
            case UPDATE -> "UPDATE";
            case DELETE -> "DELETE";
            default -> "TRUNCATE";
        };
    }
}
