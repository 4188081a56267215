-- CreateEnum
CREATE TYPE "ProjectStatus" AS ENUM ('ACTIVE', 'ON_HOLD', 'ARCHIVED');

-- CreateTable
CREATE TABLE "Project" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "status" "ProjectStatus" NOT NULL DEFAULT 'ACTIVE',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("tenant_id","id")
);
SELECT sentinel.distribute('"Project"');

-- CreateIndex
CREATE UNIQUE INDEX "Project_tenant_id_name_key" ON "Project"("tenant_id", "name");

-- Sentinel: the tenant, row-level security and the audit trail (added by hand).
ALTER TABLE "Project" ADD CONSTRAINT "Project_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES sentinel.tenants ("id") ON DELETE RESTRICT;
SELECT sentinel.enable_tenant_rls('"Project"');
SELECT sentinel.audit_table('"Project"');
