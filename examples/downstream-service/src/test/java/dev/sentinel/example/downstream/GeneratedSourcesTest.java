package dev.sentinel.example.downstream;

import static dev.sentinel.example.downstream.db.Tables.BOOKINGS;
import static dev.sentinel.example.downstream.db.Tables.PIPELINES;
import static dev.sentinel.example.downstream.db.Tables.PIPELINE_ITEMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.example.downstream.db.Keys;
import dev.sentinel.example.downstream.db.PublicSchema;
import dev.sentinel.example.downstream.db.enums.BookingsStatus;
import dev.sentinel.example.downstream.db.enums.PipelineItemsPriority;
import dev.sentinel.example.downstream.db.enums.PipelinesType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jooq.Table;
import org.junit.jupiter.api.Test;

/**
 * The codegen plugin generated this service's tables and nothing of Sentinel's: Sentinel's classes
 * come from sentinel-core, and the service's keys point at them.
 */
class GeneratedSourcesTest {

    /** Where the plugin writes by default, relative to the module (Surefire's working directory). */
    private static final Path GENERATED = Path.of("target/generated-sources/sentinel");
    private static final String PACKAGE_DIRECTORY = "dev/sentinel/example/downstream/db/";

    private static List<String> generatedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(GENERATED)) {
            return files.filter(Files::isRegularFile).map(file -> GENERATED.relativize(file).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void theGeneratedSourcesHoldOnlyTheServicesOwnTables() throws IOException {
        List<String> files = generatedFiles();

        assertThat(files).isNotEmpty().allSatisfy(file -> assertThat(file).startsWith(PACKAGE_DIRECTORY));
        assertThat(files.stream().filter(file -> file.matches(".*/db/tables/[A-Za-z]+\\.java")))
                .describedAs("one table class per table of the service's migrations, none of Sentinel's")
                .containsExactly(
                        PACKAGE_DIRECTORY + "tables/Bookings.java",
                        PACKAGE_DIRECTORY + "tables/PipelineItems.java",
                        PACKAGE_DIRECTORY + "tables/PipelineStages.java",
                        PACKAGE_DIRECTORY + "tables/Pipelines.java",
                        PACKAGE_DIRECTORY + "tables/Strategies.java");
        for (String file : files) {
            assertThat(Files.readString(GENERATED.resolve(file), StandardCharsets.UTF_8))
                    .describedAs(file)
                    .doesNotContain("package dev.sentinel.core");
        }
    }

    @Test
    void theGeneratedSchemaIsExactlyTheServicesTables() {
        assertThat(PublicSchema.PUBLIC.getTables()).extracting(Table::getName)
                .containsExactlyInAnyOrder("pipelines", "pipeline_stages", "pipeline_items", "strategies", "bookings");
        assertThatThrownBy(() -> Class.forName("dev.sentinel.example.downstream.db.tables.Tenants"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("dev.sentinel.example.downstream.db.SentinelSchema"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void foreignKeysIntoSentinelsTablesUseSentinelCoresClasses() {
        assertThat(Keys.PIPELINES__PIPELINES_TENANT_FKEY.getKey()).isSameAs(dev.sentinel.core.db.Keys.TENANTS_PKEY);
        assertThat(Keys.PIPELINE_ITEMS__PIPELINE_ITEMS_ASSIGNEE_FKEY.getKey()).isSameAs(dev.sentinel.core.db.Keys.TENANT_MEMBERS_PKEY);
        assertThat(Keys.STRATEGIES__STRATEGIES_OWNER_FKEY.getKey()).isSameAs(dev.sentinel.core.db.Keys.TENANT_MEMBERS_PKEY);
    }

    @Test
    void closedSetsBecameEnums() {
        assertThat(PIPELINES.TYPE.getType()).isEqualTo(PipelinesType.class);
        assertThat(PIPELINE_ITEMS.PRIORITY.getType()).isEqualTo(PipelineItemsPriority.class);
        assertThat(BOOKINGS.STATUS.getType()).isEqualTo(BookingsStatus.class);
        assertThat(BookingsStatus.values()).extracting(BookingsStatus::literal)
                .containsExactly("pending", "confirmed", "cancelled", "completed");
    }
}
