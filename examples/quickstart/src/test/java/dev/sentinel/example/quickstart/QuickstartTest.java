package dev.sentinel.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's run command tells the story it promises. */
class QuickstartTest {

    @Test
    void migratesCreatesTwoTenantsAndShowsThatEachSeesOnlyItself() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            Quickstart.run(out);
        }
        String story = buffer.toString(StandardCharsets.UTF_8);

        assertThat(story)
                .containsPattern("Applied [1-9][0-9]* Sentinel migration\\(s\\) to schema 'sentinel', as sentinel_owner\\.")
                .contains("Created 2 tenants in the system scope, as sentinel_app:")
                .containsPattern("acme +Acme GmbH +Europe/Berlin")
                .contains("no tenant set       -> 0 tenant row(s) visible")
                .contains("tenant acme         -> 1 tenant row(s) visible: acme")
                .contains("tenant globex       -> 1 tenant row(s) visible: globex");
    }
}
