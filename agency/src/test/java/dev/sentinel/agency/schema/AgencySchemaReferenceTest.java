package dev.sentinel.agency.schema;

import dev.sentinel.agency.Agency;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.support.SchemaReferenceCheck;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The committed reference of schema {@code agency}, {@code docs/agency-schema-reference.md}, against
 * the migrated catalog, as core's {@code SchemaReferenceTest} checks the kernel's: exactly what the
 * agency's build writes with the codegen plugin, and naming every table and foreign key.
 */
class AgencySchemaReferenceTest {

    /** The one command that rewrites the committed file; named by the failure message. */
    static final String REGENERATE = "./mvnw -q -pl agency -am package -DskipTests -Dsentinel.updateReference";

    private static final SchemaReferenceCheck CHECK =
            new SchemaReferenceCheck(Agency.SCHEMA, Path.of("..", "docs", "agency-schema-reference.md"), REGENERATE);

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    @Test
    void theCommittedReferenceIsWhatTheCatalogProduces() throws Exception {
        CHECK.isWhatTheCatalogProduces(db.ownerDataSource());
    }

    @Test
    void everyTableAndForeignKeyOfTheCatalogAppears() throws Exception {
        CHECK.namesEveryTableAndForeignKey(db.ownerDataSource(), "projects", "invoices", "contracts", "leads", "integrations");
    }
}
