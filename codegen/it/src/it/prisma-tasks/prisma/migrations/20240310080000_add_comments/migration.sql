-- CreateTable
CREATE TABLE "Comment" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "escalation" "TaskPriority",
    "metadata" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Comment_pkey" PRIMARY KEY ("tenant_id","id")
);
SELECT sentinel.distribute('"Comment"');

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_tenant_id_taskId_fkey" FOREIGN KEY ("tenant_id", "taskId") REFERENCES "Task"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Sentinel: the tenant, row-level security and the audit trail (added by hand).
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES sentinel.tenants ("id") ON DELETE RESTRICT;
SELECT sentinel.enable_tenant_rls('"Comment"');
SELECT sentinel.audit_table('"Comment"');
