package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.SchemaNames;
import java.sql.SQLException;
import java.util.Set;

/**
 * A column commented {@code sentinel:secret} has a CHECK constraint on it that calls
 * {@code sentinel.is_secret_ciphertext}, so that a raw write of clear text fails. The constraint is
 * found through its recorded dependencies ({@code pg_depend}), not by reading its text.
 */
final class SecretRules {

    private static final String SEALED = """
            select a.attrelid::int8 as table_oid, a.attname
              from pg_attribute a
             where a.attrelid::int8 = any(?) and a.attnum > 0 and not a.attisdropped
               and exists (select from pg_constraint k
                             join pg_depend d on d.classid = 'pg_constraint'::regclass and d.objid = k.oid
                            where k.conrelid = a.attrelid and k.contype = 'c' and a.attnum = any(k.conkey)
                              and d.refclassid = 'pg_proc'::regclass
                              and d.refobjid = to_regprocedure('%s.is_secret_ciphertext(text)'))
            """.formatted(SchemaNames.SCHEMA);

    private SecretRules() {
    }

    static void check(LintRun run) throws SQLException {
        Set<String> sealed = Set.copyOf(run.session.query(SEALED,
                row -> row.getLong("table_oid") + "." + row.getString("attname"), (Object) run.oids()));
        for (LintTable table : run.tables) {
            for (String column : run.secretColumns(table)) {
                if (!sealed.contains(table.oid() + "." + column)) {
                    run.add(table, column, Rule.SECRET_WITHOUT_CHECK, "The column " + column + " of " + table.display()
                            + " is commented sentinel:secret but has no CHECK calling sentinel.is_secret_ciphertext,"
                            + " so a raw write can store the secret in clear text.", "alter table " + table.sqlName()
                            + " add constraint " + table.name() + "_" + column + "_sealed check"
                            + " (sentinel.is_secret_ciphertext(" + column + "));");
                }
            }
        }
    }
}
