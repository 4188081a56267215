package dev.sentinel.core.schema;

import dev.sentinel.core.support.SchemaReferenceCheck;
import dev.sentinel.schema.SchemaNames;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The committed reference of the kernel's schema, {@code docs/schema-reference.md}, against the
 * migrated catalog: it must be exactly what the schema reference writes from it (core's build writes
 * the same file to {@code target/schema-reference.md} with the codegen plugin), and, read
 * independently of that code, it must name every table and every foreign key of the catalog.
 */
class SchemaReferenceTest {

    /** The one command that rewrites the committed file; named by the failure message and the README. */
    static final String REGENERATE = "./mvnw -q -pl core -am package -DskipTests -Dsentinel.updateReference";

    private static final SchemaReferenceCheck CHECK =
            new SchemaReferenceCheck(SchemaNames.SCHEMA, Path.of("..", "docs", "schema-reference.md"), REGENERATE);

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    @Test
    void theCommittedReferenceIsWhatTheCatalogProduces() throws Exception {
        CHECK.isWhatTheCatalogProduces(db.ownerDataSource());
    }

    @Test
    void everyTableAndForeignKeyOfTheCatalogAppears() throws Exception {
        CHECK.namesEveryTableAndForeignKey(db.ownerDataSource(), "tenants", "users", "audit_log", "jobs", "number_counters");
    }
}
