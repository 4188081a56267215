-- CreateTable
CREATE TABLE "Task" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("tenant_id","id")
);
SELECT sentinel.distribute('"Task"');

-- CreateIndex
CREATE INDEX "Task_tenant_id_projectId_idx" ON "Task"("tenant_id", "projectId");

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_tenant_id_projectId_fkey" FOREIGN KEY ("tenant_id", "projectId") REFERENCES "Project"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Sentinel: the tenant, row-level security and the audit trail (added by hand).
ALTER TABLE "Task" ADD CONSTRAINT "Task_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES sentinel.tenants ("id") ON DELETE RESTRICT;
SELECT sentinel.enable_tenant_rls('"Task"');
SELECT sentinel.audit_table('"Task"');
