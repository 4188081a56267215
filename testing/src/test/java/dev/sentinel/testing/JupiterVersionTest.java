package dev.sentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sentinel-test runs on JUnit Jupiter 5 and 6: its tests run twice, here on 5 and in
 * testing/jupiter6 on 6, which sets {@code sentinel.expectedJupiterMajor} so that this test proves
 * which one ran.
 */
class JupiterVersionTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    @Test
    void runsOnTheExpectedJupiterWithADatabase() {
        String version = Test.class.getPackage().getImplementationVersion();
        String expected = System.getProperty("sentinel.expectedJupiterMajor", "5");
        assertThat(version).describedAs("junit-jupiter-api's version").startsWith(expected + ".");
        assertThat(db.databaseName()).isNotBlank();
    }
}
