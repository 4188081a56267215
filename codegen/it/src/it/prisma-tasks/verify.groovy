// Checks the two builds of invoker.properties from their log and their output.
def fail = { String message -> throw new AssertionError(message) }

def log = new File(basedir, 'build.log').getText('UTF-8')
def outcomes = log.readLines().collect { line ->
    if (line.contains('Sentinel codegen: ') && (line.contains(', starting embedded PostgreSQL') || line.contains(', started embedded PostgreSQL'))) return 'started'
    if (line.contains('Sentinel codegen: inputs unchanged')) return 'unchanged'
    return null
}.findAll { it != null }
if (outcomes != ['started', 'unchanged']) fail("codegen outcomes per build: expected [started, unchanged], got $outcomes")
if (!log.contains('Sentinel codegen: schema lint of sentinel and public: no findings'))
    fail('the Prisma tables, with the hand-added Sentinel lines, did not pass the schema lint')

// The classes of the Prisma tables and enums, in the service's package.
def root = new File(basedir, 'target/generated-sources/sentinel/com/example/tasks/db')
['tables/Project.java', 'tables/Task.java', 'tables/Comment.java', 'enums/ProjectStatus.java',
 'enums/TaskPriority.java', 'tables/records/CommentRecord.java'].each {
    if (!new File(root, it).isFile()) fail("no generated $it")
}
def comment = new File(root, 'tables/Comment.java').getText('UTF-8')
if (!comment.contains('TableField<CommentRecord, TaskPriority> ESCALATION'))
    fail('Comment.escalation is not typed TaskPriority: the folders did not run in Prisma\'s order')
if (!new File(root, 'tables/Project.java').getText('UTF-8').contains('A project of a tenant; archived projects keep their tasks.'))
    fail('the comment of the last folder did not reach Project.java')

// The schema reference of the service's schema, written by build 1 and left alone by build 2.
def reference = new File(basedir, 'docs/schema-reference.md')
if (!reference.isFile()) fail('no docs/schema-reference.md')
def markdown = reference.getText('UTF-8')
['```mermaid\nerDiagram\n', '    Project ||..o{ Task : "projectId"\n', '    Task ||..o{ Comment : "taskId"\n',
 '### `public.Project`', '### `public.Task`', '### `public.Comment`',
 '| `priority` | `"TaskPriority"` | yes | `\'NORMAL\'::"TaskPriority"` |  |  |',
 '| `settings` | `jsonb` | yes | `\'{}\'::jsonb` |  | Free-form settings, as JSON. |'].each {
    if (!markdown.contains(it)) fail("docs/schema-reference.md lacks: $it")
}
if (log.readLines().count { it.contains('Sentinel codegen: schema reference of public written: ') } != 1)
    fail('the schema reference was not written exactly once')

// Both builds ran the fixture's tests against the generated classes.
def testRuns = log.readLines().findAll { it.contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0') && !it.contains(' -- in ') }
if (testRuns.size() != 2) fail("expected the fixture's 4 tests to pass in both builds, got ${testRuns.size()} summaries")
return true
