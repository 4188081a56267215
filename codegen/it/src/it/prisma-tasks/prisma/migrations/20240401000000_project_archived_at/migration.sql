-- AlterTable
ALTER TABLE "Project" ADD COLUMN "archivedAt" TIMESTAMPTZ(3);

-- Sentinel: comments, which become the generated classes' Javadoc and the schema reference (added by hand).
COMMENT ON TABLE "Project" IS 'A project of a tenant; archived projects keep their tasks.';
COMMENT ON TABLE "Task" IS 'A task in a project.';
COMMENT ON TABLE "Comment" IS 'A comment on a task.';
COMMENT ON COLUMN "Project"."settings" IS 'Free-form settings, as JSON.';
