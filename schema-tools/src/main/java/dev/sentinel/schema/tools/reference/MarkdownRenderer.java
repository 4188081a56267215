package dev.sentinel.schema.tools.reference;

import dev.sentinel.schema.tools.internal.Catalog;
import dev.sentinel.schema.tools.reference.ReferenceModel.Column;
import dev.sentinel.schema.tools.reference.ReferenceModel.Table;
import dev.sentinel.schema.tools.reference.ReferenceModel.UniqueKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a {@link ReferenceModel} as Markdown. The output depends on the model alone (no time, no
 * version, no host), with {@code \n} line ends, so the same catalog gives the same bytes.
 */
final class MarkdownRenderer {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");

    private final ReferenceModel model;
    private final StringBuilder out = new StringBuilder();
    /** Anchors already used, as GitHub numbers repeated heading slugs. */
    private final Map<String, Integer> slugs = new HashMap<>();
    /** Each table's anchor, by qualified name. */
    private final Map<String, String> anchors = new LinkedHashMap<>();

    MarkdownRenderer(ReferenceModel model) {
        this.model = model;
    }

    String render() {
        // Anchors in heading order, as GitHub computes them, so that links resolve.
        slug("Schema reference");
        for (String schema : model.schemas) {
            slug("Schema " + schema);
            for (Table table : tables(schema)) {
                anchors.put(table.qualified(), slug(table.qualified()));
            }
        }
        header();
        for (String schema : model.schemas) {
            schema(schema);
        }
        return out.toString();
    }

    private List<Table> tables(String schema) {
        return model.tables.stream().filter(t -> t.schema().equals(schema)).toList();
    }

    private void header() {
        int tables = model.tables.size();
        int keys = model.tables.stream().mapToInt(t -> t.foreignKeys().size()).sum();
        line("# Schema reference");
        line("");
        line("<!-- Generated from the PostgreSQL catalog by Sentinel's SchemaReference; do not edit by hand. -->");
        line("");
        line("Generated from the PostgreSQL catalog after the migrations ran, by Sentinel's `SchemaReference`"
                + " (the codegen plugin's `<schemaReference>`). Do not edit it by hand: change the migrations and"
                + " regenerate it. Schemas: " + String.join(", ", model.schemas.stream().map(MarkdownRenderer::code)
                .toList()) + "; " + tables + (tables == 1 ? " table, " : " tables, ") + keys
                + (keys == 1 ? " foreign key." : " foreign keys."));
        line("");
        line("How to read it:");
        line("");
        line("- **Scope**: a *tenant* table has `tenant_id`, and row-level security keeps each tenant's rows apart;"
                + " the *root* is `sentinel.tenants`, whose `id` is the tenant id; a *global* table belongs to no"
                + " tenant.");
        line("- **Soft delete**: the table has `deleted_at` (with `deleted_by` and `delete_reason`); Sentinel's"
                + " repository hides deleted rows.");
        line("- **Audit**: a `sentinel.audit_row` trigger writes an audit row for every insert, update and delete;"
                + " a table without one says why in its comment (`sentinel:unaudited <reason>`). *Append-only*"
                + " tables accept inserts only.");
        line("- **Secret**: a column whose comment starts with `sentinel:secret` holds ciphertext and is redacted"
                + " from audit diffs.");
        line("- In the diagrams, every table's foreign key from its tenant column to `sentinel.tenants` is left"
                + " out (the tables list it); a dotted line is a foreign key outside the primary key.");
    }

    private void schema(String schema) {
        List<Table> tables = tables(schema);
        line("");
        line("## Schema " + code(schema));
        line("");
        if (tables.isEmpty()) {
            line("No tables.");
            return;
        }
        diagram(schema, tables);
        line("");
        line("| table | scope | soft delete | audit | secret columns | comment |");
        line("|---|---|---|---|---|---|");
        for (Table table : tables) {
            line("| " + link(table.schema(), table.name(), table.name()) + " | " + scopeName(table) + " | "
                    + (table.softDelete() ? "yes" : "") + " | " + auditSummary(table) + " | "
                    + String.join(", ", secretColumns(table).stream().map(MarkdownRenderer::code).toList()) + " | "
                    + text(firstSentence(table.comment())) + " |");
        }
        for (Table table : tables) {
            table(table);
        }
    }

    private void diagram(String schema, List<Table> tables) {
        line("```mermaid");
        line("erDiagram");
        Set<String> external = new LinkedHashSet<>();
        List<String> relations = new ArrayList<>();
        for (Table table : tables) {
            for (Catalog.ForeignKey key : table.foreignKeys()) {
                if (tenantKey(table, key)) {
                    continue;
                }
                String parent = key.referencedSchema().equals(schema) ? key.referencedName()
                        : key.referencedSchema() + "." + key.referencedName();
                if (!key.referencedSchema().equals(schema)) {
                    external.add(parent);
                }
                relations.add("    " + entity(parent) + " " + cardinality(table, key) + " " + entity(table.name())
                        + " : \"" + label(table, key) + "\"");
            }
        }
        for (Table table : tables) {
            List<String> attributes = new ArrayList<>();
            UniqueKey primary = table.primaryKey();
            for (Column column : table.columns()) {
                List<String> marks = new ArrayList<>();
                if (primary != null && primary.columns().contains(column.name())) {
                    marks.add("PK");
                }
                if (table.foreignKeys().stream().anyMatch(k -> k.columnNames().contains(column.name()))) {
                    marks.add("FK");
                }
                if (!marks.isEmpty()) {
                    attributes.add("        " + mermaidType(column.type()) + " " + mermaidName(column.name()) + " "
                            + String.join(", ", marks));
                }
            }
            if (attributes.isEmpty()) {
                line("    " + entity(table.name()));
            } else {
                line("    " + entity(table.name()) + " {");
                attributes.forEach(this::line);
                line("    }");
            }
        }
        for (String name : external) {
            line("    " + entity(name));
        }
        relations.forEach(this::line);
        line("```");
    }

    /** Whether a foreign key is a table's link from its tenant column to the root, left out of diagrams. */
    private static boolean tenantKey(Table table, Catalog.ForeignKey key) {
        return key.referencedRoot() && table.tenantColumn() != null
                && key.columnNames().equals(List.of(table.tenantColumn()));
    }

    private static String cardinality(Table child, Catalog.ForeignKey key) {
        boolean required = key.columnNames().stream().allMatch(c -> {
            Column column = child.column(c);
            return column != null && column.notNull();
        });
        Set<String> columns = Set.copyOf(key.columnNames());
        boolean oneToOne = child.keys().stream()
                .anyMatch(k -> k.predicate() == null && Set.copyOf(k.columns()).equals(columns));
        UniqueKey primary = child.primaryKey();
        boolean identifying = primary != null && primary.columns().containsAll(columns);
        return (required ? "||" : "|o") + (identifying ? "--" : "..") + (oneToOne ? "o|" : "o{");
    }

    /** The key's columns, without a tenant column that only pairs the two tenants. */
    private static String label(Table table, Catalog.ForeignKey key) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < key.columnNames().size(); i++) {
            String column = key.columnNames().get(i);
            boolean tenantPair = column.equals(table.tenantColumn()) && key.referencedTenant() != 0
                    && key.referenced().get(i) == key.referencedTenant();
            if (!tenantPair || key.columnNames().size() == 1) {
                columns.add(column);
            }
        }
        return String.join(", ", columns).replace('"', '\'');
    }

    private void table(Table table) {
        line("");
        line("### " + code(table.qualified()));
        line("");
        if (table.comment() != null && !table.comment().isBlank()) {
            line(text(table.comment()));
            line("");
        }
        line("- **Scope**: " + scopeDetail(table) + ".");
        line("- **Row-level security**: " + rowSecurity(table) + ".");
        line("- **Soft delete**: " + softDelete(table) + ".");
        line("- **Audit**: " + auditDetail(table) + ".");
        List<String> secrets = secretColumns(table);
        line("- **Secret columns**: " + (secrets.isEmpty() ? "none"
                : String.join(", ", secrets.stream().map(MarkdownRenderer::code).toList())) + ".");
        line("");
        line("| column | type | not null | default | key | comment |");
        line("|---|---|---|---|---|---|");
        UniqueKey primary = table.primaryKey();
        for (Column column : table.columns()) {
            List<String> marks = new ArrayList<>();
            if (primary != null && primary.columns().contains(column.name())) {
                marks.add("PK");
            }
            if (table.foreignKeys().stream().anyMatch(k -> k.columnNames().contains(column.name()))) {
                marks.add("FK");
            }
            if (table.keys().stream().anyMatch(k -> !k.primary() && k.columns().equals(List.of(column.name())))) {
                marks.add("unique");
            }
            line("| " + code(column.name()) + " | " + code(column.type()) + " | " + (column.notNull() ? "yes" : "")
                    + " | " + defaultValue(column) + " | " + String.join(", ", marks) + " | " + text(column.comment())
                    + " |");
        }
        if (!table.keys().isEmpty()) {
            line("");
            line("Keys:");
            line("");
            for (UniqueKey key : table.keys()) {
                String kind = key.primary() ? "primary key" : key.constraint() ? "unique" : "unique index";
                StringBuilder entry = new StringBuilder("- " + kind + " " + code(key.name()) + ": ("
                        + String.join(", ", key.columns().stream().map(MarkdownRenderer::code).toList()) + ")");
                if (key.predicate() != null) {
                    entry.append(" where ").append(code(key.predicate()));
                }
                if (key.nullsNotDistinct()) {
                    entry.append(", nulls not distinct");
                }
                line(entry.toString());
            }
        }
        if (!table.foreignKeys().isEmpty()) {
            line("");
            line("Foreign keys:");
            line("");
            line("| foreign key | columns | references | on delete | on update |");
            line("|---|---|---|---|---|");
            for (Catalog.ForeignKey key : table.foreignKeys()) {
                String onDelete = Catalog.ForeignKey.action(key.onDelete());
                if (!key.deleteSet().isEmpty()) {
                    List<String> set = new ArrayList<>();
                    for (int attnum : key.deleteSet()) {
                        table.columns().stream().filter(c -> c.number() == attnum).findFirst()
                                .ifPresent(c -> set.add(code(c.name())));
                    }
                    onDelete += " (" + String.join(", ", set) + ")";
                }
                line("| " + code(key.name()) + " | " + columns(key.columnNames()) + " | "
                        + link(key.referencedSchema(), key.referencedName(), key.referencedSchema() + "."
                                + key.referencedName()) + " (" + columns(key.referencedNames()) + ") | " + onDelete
                        + " | " + Catalog.ForeignKey.action(key.onUpdate()) + " |");
            }
        }
    }

    private static String scopeName(Table table) {
        return switch (table.scope()) {
            case ROOT -> "root";
            case TENANT -> "tenant";
            case GLOBAL -> "global";
        };
    }

    private static String scopeDetail(Table table) {
        return switch (table.scope()) {
            case ROOT -> "the tenant root: its " + code(table.tenantColumn()) + " is the tenant id";
            case TENANT -> "tenant, by " + code(table.tenantColumn());
            case GLOBAL -> "global: no `tenant_id`, rows belong to no tenant";
        };
    }

    private static String rowSecurity(Table table) {
        if (!table.rowSecurity()) {
            return "off";
        }
        String policies = table.policies().isEmpty() ? "no policies (no rows for roles it applies to)"
                : (table.policies().size() == 1 ? "policy " : "policies ")
                        + String.join(", ", table.policies().stream().map(MarkdownRenderer::code).toList());
        return (table.forced() ? "enabled and forced; " : "enabled, not forced (the owner bypasses it); ") + policies;
    }

    private static String softDelete(Table table) {
        if (!table.softDelete()) {
            return "no";
        }
        List<String> present = new ArrayList<>();
        for (String name : List.of("deleted_at", "deleted_by", "delete_reason")) {
            if (table.column(name) != null) {
                present.add(code(name));
            }
        }
        return "yes (" + String.join(", ", present) + ")";
    }

    private static String auditSummary(Table table) {
        List<Catalog.Trigger> audit = table.auditTriggers();
        String summary;
        if (audit.stream().anyMatch(Catalog.Trigger::fires)) {
            summary = "yes";
        } else if (!audit.isEmpty()) {
            summary = "trigger disabled";
        } else {
            summary = "no";
        }
        return table.appendOnly() ? summary + ", append-only" : summary;
    }

    private static String auditDetail(Table table) {
        List<Catalog.Trigger> audit = table.auditTriggers();
        String detail;
        if (audit.isEmpty()) {
            String reason = Catalog.unauditedReason(table.comment());
            detail = reason == null ? "no audit trigger" : "not audited: " + text(reason);
        } else {
            List<String> triggers = new ArrayList<>();
            for (Catalog.Trigger trigger : audit) {
                triggers.add("trigger " + code(trigger.name()) + (trigger.fires() ? "" : " (disabled)"));
            }
            detail = "every insert, update and delete writes an audit row (" + String.join(", ", triggers) + ")";
        }
        return table.appendOnly() ? detail + "; append-only: updates, deletes and truncates are rejected" : detail;
    }

    private static List<String> secretColumns(Table table) {
        return table.columns().stream().filter(Column::secret).map(Column::name).toList();
    }

    private static String defaultValue(Column column) {
        if (column.generated() != null && !column.generated().isEmpty()) {
            return "generated: " + code(column.defaultExpression() == null ? "" : column.defaultExpression());
        }
        if ("a".equals(column.identity())) {
            return "identity (always)";
        }
        if ("d".equals(column.identity())) {
            return "identity (by default)";
        }
        return column.defaultExpression() == null ? "" : code(column.defaultExpression());
    }

    private String link(String schema, String name, String shown) {
        String anchor = anchors.get(schema + "." + name);
        return anchor == null ? code(shown) : "[" + code(shown) + "](#" + anchor + ")";
    }

    private static String columns(List<String> names) {
        return String.join(", ", names.stream().map(MarkdownRenderer::code).toList());
    }

    /**
     * The anchor GitHub gives a heading with this text: lower case, punctuation other than
     * {@code -} and {@code _} removed, spaces as {@code -}, and {@code -1}, {@code -2}, ... on
     * repeats.
     */
    private String slug(String heading) {
        StringBuilder slug = new StringBuilder();
        heading.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        String base = slug.toString();
        int seen = slugs.merge(base, 1, Integer::sum);
        return seen == 1 ? base : base + "-" + (seen - 1);
    }

    private static String firstSentence(String comment) {
        if (comment == null) {
            return null;
        }
        String flat = LINE_BREAKS.matcher(comment.strip()).replaceAll(" ");
        int end = flat.indexOf(". ");
        return end < 0 ? flat : flat.substring(0, end + 1);
    }

    /** Free text for a table cell or paragraph: one line, Markdown and HTML characters escaped. */
    private static String text(String value) {
        if (value == null) {
            return "";
        }
        String flat = LINE_BREAKS.matcher(value.strip()).replaceAll(" ");
        StringBuilder out = new StringBuilder();
        for (char c : flat.toCharArray()) {
            switch (c) {
                case '\\', '|', '*', '`', '[', ']' -> out.append('\\').append(c);
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A code span, safe in a table cell. */
    static String code(String value) {
        String flat = LINE_BREAKS.matcher(value.strip()).replaceAll(" ").replace("|", "\\|");
        return flat.contains("`") ? "`` " + flat + " ``" : "`" + flat + "`";
    }

    private static String entity(String name) {
        return PLAIN_NAME.matcher(name).matches() ? name : "\"" + name.replaceAll("[\"%\\\\]", "_") + "\"";
    }

    /** A column name as Mermaid accepts it in an attribute: letters, digits, {@code _} and {@code -}. */
    private static String mermaidName(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return Character.isLetter(cleaned.charAt(0)) || cleaned.charAt(0) == '_' ? cleaned : "_" + cleaned;
    }

    /** A type as Mermaid accepts it: the short name, without modifiers, {@code []} kept for arrays. */
    private static String mermaidType(String type) {
        boolean array = type.endsWith("[]");
        String base = (array ? type.substring(0, type.length() - 2) : type).replaceAll("\\(.*?\\)", "").strip();
        base = switch (base) {
            case "timestamp with time zone" -> "timestamptz";
            case "timestamp without time zone" -> "timestamp";
            case "time with time zone" -> "timetz";
            case "time without time zone" -> "time";
            case "character varying" -> "varchar";
            case "character" -> "char";
            case "double precision" -> "float8";
            case "bit varying" -> "varbit";
            default -> base;
        };
        String cleaned = base.replace("\"", "").replaceAll("[^A-Za-z0-9_-]", "_");
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
            cleaned = "t_" + cleaned;
        }
        return array ? cleaned + "[]" : cleaned;
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
