package dev.sentinel.codegen;

/**
 * One column of the project's schema that the plugin names differently or leaves out, in the
 * plugin's {@code <columns>}. Maven fills the fields from the configuration:
 *
 * <pre>{@code
 * <columns>
 *   <column>
 *     <name>Task.createdAt</name>           <!-- table.column, as in the database -->
 *     <javaName>created_at_prisma</javaName> <!-- CREATED_AT_PRISMA, getCreatedAtPrisma() -->
 *   </column>
 *   <column>
 *     <name>Task.legacyCreatedAt</name>
 *     <exclude>true</exclude>               <!-- no field, getter or setter at all -->
 *   </column>
 * </columns>
 * }</pre>
 *
 * <p>It is the way out of a name collision: two columns of one table whose names give the same
 * Java names ({@code created_at} and {@code "createdAt"} both give {@code CREATED_AT} and
 * {@code getCreatedAt()}), which the plugin refuses before jOOQ writes anything. Not thread-safe;
 * Maven's configuration object.
 */
public class ColumnOverride {

    /** The column as {@code table.column}, names as in the database (case-sensitive). */
    private String name;

    /** The name the Java names are made from instead of the column's, such as {@code created_at_prisma}. */
    private String javaName;

    /** Whether the column is left out of the generated classes. */
    private boolean exclude;

    /** Creates an empty entry; Maven sets the fields. */
    public ColumnOverride() {
    }

    /**
     * Creates an entry.
     *
     * @param name the column as {@code table.column}
     * @param javaName the name to make Java names from, or null
     * @param exclude whether the column is left out
     */
    public ColumnOverride(String name, String javaName, boolean exclude) {
        this.name = name;
        this.javaName = javaName;
        this.exclude = exclude;
    }

    /**
     * The column.
     *
     * @return {@code table.column}, or null if the configuration names none
     */
    public String getName() {
        return name;
    }

    /**
     * The name the column's Java names are made from.
     *
     * @return the name, or null for none
     */
    public String getJavaName() {
        return javaName;
    }

    /**
     * Whether the column is left out of the generated classes.
     *
     * @return true to leave it out
     */
    public boolean isExclude() {
        return exclude;
    }
}
