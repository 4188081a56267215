package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.tools.internal.Catalog;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A column commented {@code sentinel:personal} can be erased by {@code sentinel.erase_person}: its
 * table has a uuid {@code id} (the person is the row; in a link table without one, a uuid
 * {@code user_id}), it is nullable or a text type that holds the
 * placeholder {@code erased.<row id>@erased.invalid}, it is not also {@code sentinel:secret}, and a
 * generated column computed from it is personal too (else the generated copy keeps the value in the
 * live row and in clear in the audit diffs).
 */
final class PersonalRules {

    /** The placeholder's length: {@code erased.} + a uuid + {@code @erased.invalid}. */
    private static final int PLACEHOLDER_LENGTH = 58;

    // The generated columns' sources come from the dependencies of their expression (pg_attrdef),
    // not from its text.
    private static final String COLUMNS = """
            select a.attrelid::int8 as table_oid, a.attname, a.attnotnull, a.attgenerated <> '' as generated,
                   format_type(a.atttypid, a.atttypmod) as type,
                   t.typcategory = 'S' and (a.atttypmod < 0 or a.atttypmod - 4 >= %1$d) as holds_placeholder,
                   coalesce(d.description ~ '(^|\\s)%2$s(\\s|$)', false) as personal,
                   coalesce(d.description like '%3$s%%', false) as secret,
                   (select array_agg(distinct s.attname::text)
                      from pg_attrdef ad
                      join pg_depend dep on dep.classid = 'pg_attrdef'::regclass and dep.objid = ad.oid
                      join pg_attribute s on s.attrelid = dep.refobjid and s.attnum = dep.refobjsubid
                     where ad.adrelid = a.attrelid and ad.adnum = a.attnum and a.attgenerated <> ''
                       and dep.refclassid = 'pg_class'::regclass and dep.refobjid = a.attrelid
                       and dep.refobjsubid > 0 and dep.refobjsubid <> a.attnum) as sources,
                   exists (select from pg_attribute i where i.attrelid = a.attrelid and i.attname in ('id', 'user_id')
                                                      and not i.attisdropped and i.atttypid = 'uuid'::regtype) as has_uuid_id
              from pg_attribute a
              join pg_type t on t.oid = a.atttypid
              left join pg_description d on d.objoid = a.attrelid and d.classoid = 'pg_class'::regclass
                   and d.objsubid = a.attnum
             where a.attrelid::int8 = any(?) and a.attnum > 0 and not a.attisdropped
               and (d.description ~ '(^|\\s)%2$s(\\s|$)' or a.attgenerated <> '')
             order by a.attrelid, a.attnum
            """.formatted(PLACEHOLDER_LENGTH, Catalog.PERSONAL_MARKER, Catalog.SECRET_MARKER);

    private record Column(long table, String name, boolean notNull, boolean generated, String type,
            boolean holdsPlaceholder, boolean personal, boolean secret, List<String> sources, boolean hasUuidId) {
    }

    private PersonalRules() {
    }

    static void check(LintRun run) throws SQLException {
        List<Column> columns = run.session.query(COLUMNS, row -> new Column(row.getLong("table_oid"),
                row.getString("attname"), row.getBoolean("attnotnull"), row.getBoolean("generated"),
                row.getString("type"), row.getBoolean("holds_placeholder"), row.getBoolean("personal"),
                row.getBoolean("secret"), names(row.getArray("sources")), row.getBoolean("has_uuid_id")),
                (Object) run.oids());
        Set<Long> reportedId = new LinkedHashSet<>();
        for (Column column : columns) {
            LintTable table = run.byOid.get(column.table());
            if (table == null) {
                continue;
            }
            String where = "The column " + column.name() + " of " + table.display();
            if (column.personal() && column.secret()) {
                run.add(table, column.name(), Rule.PERSONAL_COLUMN, where + " is commented both sentinel:secret and"
                        + " sentinel:personal: a secret is encrypted and redacted from the trail, and erasure could not"
                        + " write its placeholder past the ciphertext check.", "Keep one marker: sentinel:secret for a"
                        + " value the service must read back in clear (clear it with an update to erase it), or"
                        + " sentinel:personal for a value the trail must keep erasable.");
                continue;
            }
            if (column.personal() && !column.hasUuidId() && reportedId.add(column.table())) {
                run.add(table, column.name(), Rule.PERSONAL_COLUMN, table.display() + " has sentinel:personal columns"
                        + " but no uuid id (or user_id) column: erasure finds a person by it, and sentinel.audit_table"
                        + " refuses to attach the audit trigger.", "Give the table an id uuid column, or keep its"
                        + " personal data in a table that has one.");
            }
            if (column.personal() && column.notNull() && !column.generated() && !column.holdsPlaceholder()) {
                run.add(table, column.name(), Rule.PERSONAL_COLUMN, where + " is sentinel:personal and NOT NULL, but"
                        + " its type " + column.type() + " cannot hold the erasure placeholder"
                        + " erased.<row id>@erased.invalid (" + PLACEHOLDER_LENGTH + " characters), so erasure would"
                        + " fail.", "alter table " + table.sqlName() + " alter column " + column.name()
                        + " drop not null; (erasure then sets it to null), or make it text.");
            }
            if (column.generated() && !column.personal()) {
                List<String> personalSources = new ArrayList<>(column.sources());
                personalSources.retainAll(run.personalColumns(table));
                if (!personalSources.isEmpty()) {
                    run.add(table, column.name(), Rule.PERSONAL_COLUMN, where + " is generated from the personal column"
                            + (personalSources.size() == 1 ? " " : "s ") + String.join(", ", personalSources)
                            + " but is not sentinel:personal itself, so the audit trail keeps its copy of the value"
                            + " in clear.", "comment on column " + table.sqlName() + "." + column.name() + " is '..."
                            + " sentinel:personal'; then select sentinel.audit_table('" + table.sqlName() + "');");
                }
            }
        }
    }

    private static List<String> names(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
