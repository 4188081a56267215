package com.example.tasks;

import static com.example.tasks.db.Tables.COMMENT;

import com.example.tasks.db.enums.TaskPriority;
import com.example.tasks.db.tables.records.TaskRecord;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.impl.DSL;

/** Service code written against the classes generated from the Prisma history. */
public final class TaskQueries {

    private TaskQueries() {
    }

    /**
     * Urgent comments with the title of their task and the name of its project, joined along the
     * Prisma relations (composite foreign keys with tenant_id).
     *
     * @return the query
     */
    public static Select<?> urgentComments() {
        DSLContext dsl = DSL.using(SQLDialect.POSTGRES);
        return dsl.select(COMMENT.BODY, COMMENT.METADATA, COMMENT.task().TITLE, COMMENT.task().project().NAME)
                .from(COMMENT)
                .where(COMMENT.ESCALATION.eq(TaskPriority.URGENT));
    }

    /**
     * A new task, through the setters of quoted camelCase columns.
     *
     * @param tenant the tenant
     * @param project the project
     * @param title the title
     * @return the record
     */
    public static TaskRecord newTask(UUID tenant, UUID project, String title) {
        return new TaskRecord().setTenantId(tenant).setId(UUID.randomUUID()).setProjectId(project).setTitle(title)
                .setPriority(TaskPriority.NORMAL);
    }
}
