package dev.sentinel.codegen.internal;

import dev.sentinel.schema.SchemaNames;
import java.util.Locale;
import java.util.Map;
import org.jooq.codegen.DefaultGeneratorStrategy;
import org.jooq.meta.CatalogDefinition;
import org.jooq.meta.ColumnDefinition;
import org.jooq.meta.Definition;
import org.jooq.meta.SchemaDefinition;
import org.jooq.tools.StringUtils;

/**
 * jOOQ's default naming, with four changes.
 *
 * <p>A schema's class is suffixed {@code Schema}: the schema {@code sentinel} becomes
 * {@code SentinelSchema} rather than {@code Sentinel}, which would shadow the library's entry
 * class, and {@code public} becomes {@code PublicSchema}.
 *
 * <p>When a project's schema is generated together with Sentinel's (two input schemata), the
 * schema name is not added to the package. Sentinel's objects are named exactly as sentinel-core
 * names them ({@value #CORE_PACKAGE}, single-schema layout), and the project's go straight into the
 * target package. The plugin keeps only the project's files; references from them to Sentinel's
 * tables and keys (a foreign key to {@code sentinel.tenants}) then point at sentinel-core's classes.
 *
 * <p>Quoted mixed-case names (Prisma's {@code "ProjectStatus"}, {@code "createdAt"}) keep their
 * words: jOOQ's default lower-cases everything between underscores, which would give the class
 * {@code Projectstatus}, the constant {@code CREATEDAT} and the getter {@code getCreatedat()}; here
 * they are {@code ProjectStatus}, {@code CREATED_AT} and {@code getCreatedAt()}. Names without an
 * upper-case letter (all of Sentinel's, and every snake_case name) are named exactly as by default.
 *
 * <p>Names do not depend on the JVM's default locale: a Turkish one does not give {@code İntegrations}.
 *
 * <p>A column named in the plugin's {@code <columns>} with a {@code <javaName>} gets its Java names
 * from that name instead (the way out of two columns that would get the same names). jOOQ creates
 * the strategy by its class name, so the renames reach it through {@link #RENAMES}, which the
 * plugin sets on the thread that runs jOOQ and this constructor reads.
 */
public class SentinelGeneratorStrategy extends DefaultGeneratorStrategy {

    /** The package of the classes that sentinel-core generates for Sentinel's schema. */
    public static final String CORE_PACKAGE = "dev.sentinel.core.db";

    /**
     * The Java names of renamed columns for the strategy created next on this thread, keyed by
     * {@code schema.table.column}.
     */
    static final ThreadLocal<Map<String, String>> RENAMES = ThreadLocal.withInitial(Map::of);

    private final Map<String, String> renames;

    /** Creates the strategy; jOOQ instantiates it by name. */
    public SentinelGeneratorStrategy() {
        this.renames = Map.copyOf(RENAMES.get());
    }

    /** The renamed column's name split into jOOQ's words, or null if the definition is not renamed. */
    private String renamed(Definition definition) {
        if (renames.isEmpty() || !(definition instanceof ColumnDefinition column) || column.getSchema() == null) {
            return null;
        }
        String javaName = renames.get(column.getSchema().getInputName() + "." + column.getContainer().getInputName()
                + "." + column.getInputName());
        return javaName == null ? null : NameCollisions.words(javaName);
    }

    @Override
    public String getJavaClassName(Definition definition, Mode mode) {
        String name = localeSafe(definition, humps(definition, super.getJavaClassName(definition, mode)));
        if (definition instanceof SchemaDefinition && mode == Mode.DEFAULT) {
            return name + "Schema";
        }
        return name;
    }

    @Override
    public String getJavaIdentifier(Definition definition) {
        String renamed = renamed(definition);
        if (renamed != null) {
            return NameCollisions.constant(renamed);
        }
        return localeSafe(definition, humps(definition, super.getJavaIdentifier(definition)));
    }

    @Override
    public String getJavaMemberName(Definition definition, Mode mode) {
        String renamed = renamed(definition);
        if (renamed != null) {
            return StringUtils.toCamelCaseLC(renamed);
        }
        return localeSafe(definition, humps(definition, super.getJavaMemberName(definition, mode)));
    }

    @Override
    public String getJavaGetterName(Definition definition, Mode mode) {
        String renamed = renamed(definition);
        if (renamed != null) {
            return "get" + StringUtils.toCamelCase(renamed);
        }
        return localeSafe(definition, humps(definition, super.getJavaGetterName(definition, mode)));
    }

    @Override
    public String getJavaSetterName(Definition definition, Mode mode) {
        String renamed = renamed(definition);
        if (renamed != null) {
            return "set" + StringUtils.toCamelCase(renamed);
        }
        return localeSafe(definition, humps(definition, super.getJavaSetterName(definition, mode)));
    }

    @Override
    public String getJavaMethodName(Definition definition, Mode mode) {
        String renamed = renamed(definition);
        if (renamed != null) {
            return StringUtils.toCamelCaseLC(renamed);
        }
        return localeSafe(definition, humps(definition, super.getJavaMethodName(definition, mode)));
    }

    /**
     * Undoes what a Turkish or Azerbaijani default locale does to jOOQ's names: its camel-casing
     * upper-cases with the JVM's locale, which turns {@code integrations} into {@code İntegrations}
     * (and lower-cases {@code I} to a dotless {@code ı}), so a developer whose Maven runs in such a
     * locale would get classes that match neither sentinel-core's nor their colleagues'. A dotted
     * capital or dotless small i that is not in the database name came from that casing.
     */
    static String localeSafe(Definition definition, String result) {
        String name = definition.getOutputName();
        if (name.indexOf('\u0130') >= 0 || name.indexOf('\u0131') >= 0) {
            return result;
        }
        return result.replace('\u0130', 'I').replace('\u0131', 'i');
    }

    /**
     * Puts back the word boundaries of a mixed-case name that jOOQ's default naming lost: where
     * the default result holds the name as jOOQ cases it (Pascal, camel or upper case), that part
     * is replaced by the same conversion of the name with its humps split by underscores.
     */
    private static String humps(Definition definition, String result) {
        String name = definition.getOutputName();
        String split = splitHumps(name);
        if (split.equals(name)) {
            return result;
        }
        String plain = jooqWords(name);
        String words = jooqWords(split);
        String[][] forms = {
            {StringUtils.toCamelCase(plain), StringUtils.toCamelCase(words)},
            {StringUtils.toCamelCaseLC(plain), StringUtils.toCamelCaseLC(words)},
            {plain.toUpperCase(Locale.ROOT), words.toUpperCase(Locale.ROOT)},
        };
        for (String[] form : forms) {
            int at = result.indexOf(form[0]);
            if (at >= 0) {
                return result.substring(0, at) + form[1] + result.substring(at + form[0].length());
            }
        }
        return result;
    }

    /** The characters jOOQ turns into word separators before it cases a name. */
    private static String jooqWords(String name) {
        return name.replace(' ', '_').replace('-', '_').replace('.', '_');
    }

    /**
     * Splits camel humps with underscores: {@code createdAt} becomes {@code created_At},
     * {@code ProjectStatus} {@code Project_Status}, {@code HTTPServer} {@code HTTP_Server};
     * a name without an upper-case letter after its first character stays as it is.
     *
     * @param name a name
     * @return the name with an underscore at each hump
     */
    static String splitHumps(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i > 0 && Character.isUpperCase(c)) {
                char previous = name.charAt(i - 1);
                boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (Character.isLowerCase(previous) || Character.isDigit(previous)
                        || (Character.isUpperCase(previous) && nextLower)) {
                    out.append('_');
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    @Override
    public String getJavaPackageName(Definition definition, Mode mode) {
        String name = super.getJavaPackageName(definition, mode);
        SchemaDefinition schema = definition.getSchema();
        if (definition instanceof CatalogDefinition || schema == null
                || definition.getDatabase().getSchemata().size() < 2) {
            return name;
        }
        String schemaPackage = super.getJavaPackageName(schema, Mode.DEFAULT);
        if (!name.equals(schemaPackage) && !name.startsWith(schemaPackage + ".")) {
            return name;
        }
        String root = SchemaNames.SCHEMA.equals(schema.getInputName()) ? CORE_PACKAGE : getTargetPackage();
        return root + name.substring(schemaPackage.length());
    }
}
