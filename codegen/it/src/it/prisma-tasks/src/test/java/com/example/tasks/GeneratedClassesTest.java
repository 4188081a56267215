package com.example.tasks;

import static com.example.tasks.db.Tables.COMMENT;
import static com.example.tasks.db.Tables.PROJECT;
import static com.example.tasks.db.Tables.TASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.tasks.db.Keys;
import com.example.tasks.db.enums.ProjectStatus;
import com.example.tasks.db.enums.TaskPriority;
import com.example.tasks.db.tables.records.TaskRecord;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jooq.JSONB;
import org.junit.jupiter.api.Test;

/** The classes generated from the Prisma history, compiled against sentinel-core. */
class GeneratedClassesTest {

    @Test
    void prismasEnumsAreJavaEnumsWithTheirValuesInOrder() {
        assertEquals(List.of("LOW", "NORMAL", "URGENT"),
                Arrays.stream(TaskPriority.values()).map(TaskPriority::getLiteral).toList());
        assertEquals(List.of("ACTIVE", "ON_HOLD", "ARCHIVED"),
                Arrays.stream(ProjectStatus.values()).map(ProjectStatus::getLiteral).toList());
        assertEquals(ProjectStatus.class, PROJECT.STATUS.getType());
        // The short-timestamp folder added Task.priority; add_comments, after it, used its type.
        assertEquals(TaskPriority.class, TASK.PRIORITY.getType());
        assertEquals(TaskPriority.class, COMMENT.ESCALATION.getType());
    }

    @Test
    void jsonbColumnsAreJooqsJsonb() {
        assertEquals(JSONB.class, PROJECT.SETTINGS.getType());
        assertEquals(JSONB.class, COMMENT.METADATA.getType());
    }

    @Test
    void quotedCamelCaseNamesKeepTheirWordsInJavaAndTheirQuotesInSql() {
        UUID tenant = UUID.randomUUID();
        TaskRecord task = TaskQueries.newTask(tenant, UUID.randomUUID(), "Write the announcement");
        assertEquals(tenant, task.getTenantId());
        assertEquals(TaskPriority.NORMAL, task.getPriority());
        assertEquals("archivedAt", PROJECT.ARCHIVED_AT.getName());
        String sql = TaskQueries.urgentComments().getSQL();
        assertTrue(sql.contains("\"public\".\"Comment\""), sql);
        assertTrue(sql.contains("\"taskId\""), sql);
        assertTrue(sql.contains("\"public\".\"Project\""), sql);
    }

    @Test
    void theTenantForeignKeysNameSentinelCoresKey() {
        assertSame(dev.sentinel.core.db.Keys.TENANTS_PKEY, Keys.TASK__TASK_TENANT_ID_FKEY.getKey());
        assertSame(PROJECT.getPrimaryKey(), Keys.TASK__TASK_TENANT_ID_PROJECT_ID_FKEY.getKey());
    }
}
