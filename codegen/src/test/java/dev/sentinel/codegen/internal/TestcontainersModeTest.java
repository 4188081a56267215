package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * {@code <database>testcontainers</database>} on a machine without a Docker engine (as this
 * project's machines and CI are): it fails at once, before any server is started, and the message
 * names the two modes that need no Docker. Where an engine runs, this test is skipped; the
 * container path itself is not tested here.
 */
class TestcontainersModeTest {

    @TempDir
    Path root;

    @Test
    void withoutAnEngineFailsAtOnceNamingEmbeddedAndJdbc() {
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "a Docker engine runs here");
        TestProject project = TestProject.downstream(root);
        project.server = new SchemaBuild.Server(DatabaseMode.TESTCONTAINERS, null, null, null, "postgres:18");

        assertThatThrownBy(() -> project.generate(new RecordingLog()))
                .isInstanceOf(GenerationException.class)
                .hasMessageStartingWith("<database>testcontainers</database> needs a Docker engine")
                .hasMessageContaining("<database>embedded</database>")
                .hasMessageContaining("<database>jdbc</database>")
                .cause().isNotNull();
        assertThat(project.startsRecorded()).isEmpty();
        assertThat(project.files()).isEmpty();
    }
}
