package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.Roles;
import dev.sentinel.schema.SchemaNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the {@link SchemaLinter} checks: the schemas whose tables it reads, and the roles (the
 * application role whose view of the data is tested, and the owner role). Immutable and
 * thread-safe.
 */
public final class LintOptions {

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

    private final Roles roles;
    private final List<String> schemas;

    private LintOptions(Builder builder) {
        this.roles = builder.roles;
        this.schemas = List.copyOf(builder.schemas);
    }

    /**
     * The defaults: {@link Roles#defaults()} and the schemas {@value SchemaNames#SCHEMA} and
     * {@code public}.
     *
     * @return the default options
     */
    public static LintOptions defaults() {
        return builder().build();
    }

    /**
     * Starts a configuration with the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The role names; the application role is the one whose view of the data is tested.
     *
     * @return the roles
     */
    public Roles roles() {
        return roles;
    }

    /**
     * The schemas whose tables are linted, in order, without duplicates.
     *
     * @return an immutable list
     */
    public List<String> schemas() {
        return schemas;
    }

    @Override
    public String toString() {
        return "LintOptions[roles=" + roles + ", schemas=" + schemas + "]";
    }

    /** Configuration of {@link LintOptions}; not thread-safe. */
    public static final class Builder {
        private Roles roles = Roles.defaults();
        private final Set<String> schemas = new LinkedHashSet<>(List.of(SchemaNames.SCHEMA, "public"));

        private Builder() {
        }

        /**
         * Sets the role names.
         *
         * @param roles the roles; default {@link Roles#defaults()}
         * @return this builder
         */
        public Builder roles(Roles roles) {
            this.roles = Objects.requireNonNull(roles, "roles");
            return this;
        }

        /**
         * Sets the schemas to lint, replacing the default ({@value SchemaNames#SCHEMA} and
         * {@code public}). A schema that does not exist has no tables and so no findings.
         *
         * @param schemas plain lower-case schema names, at least one
         * @return this builder
         * @throws IllegalArgumentException if none is given or a name is not a plain identifier
         */
        public Builder schemas(String... schemas) {
            List<String> names = new ArrayList<>();
            for (String schema : schemas) {
                Objects.requireNonNull(schema, "schema");
                if (!SCHEMA_NAME.matcher(schema).matches()) {
                    throw new IllegalArgumentException("LintOptions: schema '" + schema + "' is not a plain"
                            + " lower-case PostgreSQL identifier");
                }
                names.add(schema);
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException("LintOptions: name at least one schema to lint");
            }
            this.schemas.clear();
            this.schemas.addAll(names);
            return this;
        }

        /**
         * Builds the immutable options.
         *
         * @return the options
         */
        public LintOptions build() {
            return new LintOptions(this);
        }
    }
}
