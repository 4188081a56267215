// Checks the nine builds of invoker.properties from their log and their output.
import java.nio.file.Files

def fail = { String message -> throw new AssertionError(message) }

def log = new File(basedir, 'build.log').getText('UTF-8')
def outcomes = log.readLines().collect { line ->
    if (line.contains('Sentinel codegen: ') && (line.contains(', starting embedded PostgreSQL') || line.contains(', started embedded PostgreSQL'))) return 'started'
    if (line.contains('Sentinel codegen: inputs unchanged')) return 'unchanged'
    if (line.contains('Sentinel codegen skipped (sentinel.codegen.skip=true)')) return 'skipped'
    return null
}.findAll { it != null }
def expected = ['started', 'unchanged', 'started', 'started', 'skipped', 'started', 'started', 'started']
if (outcomes != expected) fail("codegen outcomes per build: expected $expected, got $outcomes")

if (!log.contains('<database>testcontainers</database> needs a Docker engine'))
    fail('build 6 did not print the no-engine diagnosis')
if (!log.contains('<database>embedded</database>') || !log.contains('<database>jdbc</database>'))
    fail('the no-engine diagnosis does not name embedded and jdbc')

// Servers started, counted by the plugin itself: builds 1, 3, 4, 7, 8 and 9 only.
def starts = new File(basedir, 'target/sentinel-codegen/default/postgres-starts').readLines('UTF-8')
if (starts != ['embedded'] * 6) fail("postgres-starts: expected 6 embedded starts, got $starts")

// The schema lint: clean migrations pass (builds 1, 3, 4, 7, 9), the leaky table fails build 8 with
// the finding and its fix.
def clean = log.readLines().count { it.contains('Sentinel codegen: schema lint of sentinel and public: no findings') }
if (clean != 5) fail("expected 5 builds whose schema lint found nothing, got $clean")
if (!log.contains('the schema lint of sentinel and public failed')) fail('build 8 did not fail on the schema lint')
if (!log.contains('[policy-leaks] public.tags (policy tenant_scope)')) fail('build 8 did not name the leaking policy')
if (!log.contains('Fix: Compare with the current tenant and nothing else')) fail('build 8 did not say how to fix it')

// Only the service's own classes, in its own package.
def root = new File(basedir, 'target/generated-sources/sentinel')
def files = []
root.eachFileRecurse(groovy.io.FileType.FILES) { files << root.toPath().relativize(it.toPath()).toString().replace('\\', '/') }
files.sort()
def expectedFiles = [
    'com/example/notes/db/DefaultCatalog.java',
    'com/example/notes/db/Keys.java',
    'com/example/notes/db/PublicSchema.java',
    'com/example/notes/db/Tables.java',
    'com/example/notes/db/enums/NotesStatus.java',
    'com/example/notes/db/tables/Notes.java',
    'com/example/notes/db/tables/records/NotesRecord.java',
]
if (files != expectedFiles) fail("generated files after build 9: expected $expectedFiles, got $files")

def notes = new File(root, 'com/example/notes/db/tables/Notes.java').getText('UTF-8')
if (!notes.contains('TITLE')) fail('the edited migration (build 4) did not reach Notes.java')
if (!notes.contains('A note that a tenant keeps.')) fail('the placeholder from the pom did not reach Notes.java')
def keys = new File(root, 'com/example/notes/db/Keys.java').getText('UTF-8')
if (!keys.contains('dev.sentinel.core.db.Keys.TENANTS_PKEY')) fail('the foreign key does not name sentinel-core\'s key')

// Builds 1-4 ran the fixture's tests: the generated classes compiled against sentinel-core and passed.
def testRuns = log.readLines().findAll { it.contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0') && !it.contains(' -- in ') }
if (testRuns.size() != 4) fail("expected the fixture's 4 tests to pass in builds 1-4, got ${testRuns.size()} summaries")
return true
