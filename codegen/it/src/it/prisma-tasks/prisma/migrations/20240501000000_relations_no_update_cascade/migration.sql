-- DropForeignKey
ALTER TABLE "Task" DROP CONSTRAINT "Task_tenant_id_projectId_fkey";

-- DropForeignKey
ALTER TABLE "Comment" DROP CONSTRAINT "Comment_tenant_id_taskId_fkey";

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_tenant_id_projectId_fkey" FOREIGN KEY ("tenant_id", "projectId") REFERENCES "Project"("tenant_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_tenant_id_taskId_fkey" FOREIGN KEY ("tenant_id", "taskId") REFERENCES "Task"("tenant_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION;
