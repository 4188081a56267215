package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where the naming strategy sees word boundaries in a mixed-case name (the generation tests show the names). */
class SentinelGeneratorStrategyTest {

    @Test
    void splitsCamelHumpsAndLeavesSnakeCaseAlone() {
        assertThat(SentinelGeneratorStrategy.splitHumps("createdAt")).isEqualTo("created_At");
        assertThat(SentinelGeneratorStrategy.splitHumps("ProjectStatus")).isEqualTo("Project_Status");
        assertThat(SentinelGeneratorStrategy.splitHumps("HTTPServer2Id")).isEqualTo("HTTP_Server2_Id");
        assertThat(SentinelGeneratorStrategy.splitHumps("Task_tenant_id_projectId_fkey"))
                .isEqualTo("Task_tenant_id_project_Id_fkey");
        assertThat(SentinelGeneratorStrategy.splitHumps("tenant_id")).isEqualTo("tenant_id");
        assertThat(SentinelGeneratorStrategy.splitHumps("Project")).isEqualTo("Project");
        assertThat(SentinelGeneratorStrategy.splitHumps("ID")).isEqualTo("ID");
    }
}
