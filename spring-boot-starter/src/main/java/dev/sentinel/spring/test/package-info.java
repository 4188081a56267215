/**
 * Test support: a {@code @SpringBootTest} whose class has a static
 * {@link dev.sentinel.testing.SentinelDatabase} field runs against that database (Boot's
 * DataSource as the application role, migrations as the owner) and its context is closed before the
 * database is dropped. Needs spring-test and sentinel-test on the test class path.
 */
package dev.sentinel.spring.test;
