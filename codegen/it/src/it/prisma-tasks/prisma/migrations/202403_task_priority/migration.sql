-- Written by hand, with a short timestamp. Prisma sorts folder names with localeCompare, where "_"
-- comes before the digits, so this folder runs after 20240215120000_add_tasks (it needs "Task") and
-- before 20240310080000_add_comments (which needs "TaskPriority").

-- CreateEnum
CREATE TYPE "TaskPriority" AS ENUM ('LOW', 'NORMAL', 'URGENT');

-- AlterTable
ALTER TABLE "Task" ADD COLUMN "priority" "TaskPriority" NOT NULL DEFAULT 'NORMAL';
