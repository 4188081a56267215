// Checks the eight builds of invoker.properties from their log, the baseline file and the output.
def fail = { String message -> throw new AssertionError(message) }

def log = new File(basedir, 'build.log').getText('UTF-8')
// The log of each build, split at the plugin's own start line of each build.
def builds = log.split(/(?m)^\[INFO\] Scanning for projects\.\.\.$/).findAll { it.contains('Building shop-service') }
if (builds.size() != 8) fail("expected the logs of 8 builds, found ${builds.size()}")

// 1: the collision, with both columns and the two ways out, before the lint and before jOOQ.
def b1 = builds[0]
if (!b1.contains('1 name collision in schema public; nothing was generated')) fail('build 1 did not report the collision')
if (!b1.contains('Table orders has the columns created_at and "createdAt", which both become the field CREATED_AT'))
    fail('build 1 did not name both columns')
if (!b1.contains('<columns><column><name>orders.createdAt</name><javaName>')
        || !b1.contains('<columns><column><name>orders.createdAt</name><exclude>true</exclude>'))
    fail('build 1 did not give the two ways out')
if (b1.contains('schema lint')) fail('build 1 linted before reporting the collision')
if (!b1.contains("Sentinel's schema migrated once for this machine")) fail('build 1 did not fill the machine cache')

// 2: the baseline written with today's findings; nothing fails.
def baseline = new File(basedir, 'src/main/resources/db/lint-baseline.txt')
def b2 = builds[1]
if (!b2.contains('into the lint baseline')) fail('build 2 did not write the baseline')
if (!b2.contains('BUILD SUCCESS')) fail('build 2 failed')

// 3: the accepted findings summarised by rule and table, not each printed; extension objects left out.
def b3 = builds[2]
if (!b3.contains('are accepted by the lint baseline')) fail('build 3 did not summarise the accepted findings')
if (!b3.contains('By rule:') || !b3.contains('rls-not-enabled') || !b3.contains('By table:'))
    fail('build 3 has no summary by rule and table')
if (b3.contains('Each finding')) fail('build 3 printed accepted findings one by one')
if (!b3.contains('objects of extensions in schema public left out')) fail('build 3 did not leave pgcrypto out')
if (!b3.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')) fail("build 3 did not pass the fixture's tests")
if (b3.contains('[WARNING] Ambiguous') || b3 =~ /\[WARNING\].*sentinel\./) fail('build 3 printed a jOOQ warning about Sentinel\'s objects')

// 4: the new table fails the build, and only its findings are listed.
def b4 = builds[3]
if (!b4.contains('the schema lint of sentinel and public failed')) fail('build 4 did not fail on the lint')
if (!b4.contains('[rls-not-enabled] public.coupons')) fail('build 4 did not name the new table\'s finding')
if (b4.contains('[rls-not-enabled] public.customers (')) fail('build 4 listed an accepted finding as new')

// 5: the tables are tenant tables now: the accepted findings are reported as fixed.
def b5 = builds[4]
if (!b5.contains('no longer occur: they are fixed')) fail('build 5 did not say which accepted findings are fixed')
if (!b5.contains('[rls-not-enabled] public.customers (row level security)')) fail('build 5 did not list customers as fixed')
if (!b5.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')) fail("build 5 did not pass the fixture's tests")

// 6: unchanged: no server, nothing repeated.
def b6 = builds[5]
if (!b6.contains('Sentinel codegen: inputs unchanged')) fail('build 6 was not skipped')
if (b6.contains('[WARNING]')) fail('build 6 repeated warnings')

// 7: a comment changed: migrated, catalog identical, no jOOQ.
def b7 = builds[6]
if (!b7.contains('the catalog they give is identical to the last run')) fail('build 7 ran jOOQ for a comment')

// 8: after mvn clean, Sentinel's schema comes from the machine cache, and everything is generated.
def b8 = builds[7]
if (!b8.contains('started embedded PostgreSQL on Sentinel\'s migrated schema from the machine cache (its log'))
    fail('build 8 did not use the machine cache')
if (b8.contains('migrated once for this machine')) fail('build 8 migrated Sentinel\'s schema again')
// Build 3 generated from the same catalog and configuration: its files come from the machine cache.
if (!b8.contains('copied from the machine cache, where a build generated them from the same catalog and configuration'))
    fail('build 8 ran jOOQ for a catalog this machine generated before')
if (!new File(basedir, 'target/generated-sources/sentinel/com/example/shop/db/tables/Orders.java').isFile())
    fail('build 8 did not generate Orders.java')
def routines = new File(basedir, 'target/generated-sources/sentinel/com/example/shop/db/routines')
if (routines.exists()) fail('pgcrypto\'s routines were generated')

// The plugin's own timings, for the record (the report line of each generating build).
builds.eachWithIndex { b, i ->
    def m = b =~ /Sentinel codegen: (schema public -> .*? in \d+ ms \(.*?\)|the migrations changed .*?, in \d+ ms \(.*?\))/
    if (m.find()) println "adoption build ${i + 1}: ${m.group(1)}"
    def total = b =~ /Total time:\s+([\d.:]+ \w+)/
    if (total.find()) println "adoption build ${i + 1}: Maven total ${total.group(1)}"
}
return true
