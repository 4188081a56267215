package dev.sentinel.schema;

/**
 * Names that Sentinel's SQL and its Java runtime share: the PostgreSQL schema Sentinel owns, where
 * its migrations live, and the transaction-local settings that row-level security reads.
 *
 * <p>These are the contract between the SQL and the runtime; changing one is a breaking change.
 */
public final class SchemaNames {

    /** The PostgreSQL schema that holds Sentinel's tables, functions and its Flyway history. */
    public static final String SCHEMA = "sentinel";

    /** Flyway location of Sentinel's own migrations, inside this jar. */
    public static final String MIGRATION_LOCATION = "classpath:db/sentinel";

    /**
     * Name of a Flyway history table. Sentinel's lives in {@link #SCHEMA}; a service's lives in the
     * service's schema, so the two histories never collide (both may have a V1).
     */
    public static final String HISTORY_TABLE = "flyway_schema_history";

    /** Transaction-local setting holding the current tenant's id; row-level security reads it. */
    public static final String TENANT_SETTING = "sentinel.tenant_id";

    /** Transaction-local setting holding the acting user or service; audit triggers read it. */
    public static final String ACTOR_SETTING = "sentinel.actor_id";

    /** Transaction-local setting holding the request id; audit triggers read it. */
    public static final String REQUEST_SETTING = "sentinel.request_id";

    /**
     * Transaction-local setting that is {@code system} only inside the system scope, where the
     * second, named row-level security policy lets every tenant's rows through.
     */
    public static final String SCOPE_SETTING = "sentinel.scope";

    private SchemaNames() {
    }
}
