package dev.sentinel.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.codegen.internal.DatabaseMode;
import dev.sentinel.codegen.internal.LintMode;
import dev.sentinel.codegen.internal.SchemaBuild;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The wiring of every parameter. The plugin descriptor (generated from the annotations) is read to
 * check each parameter's user property, default and description; the mojo is then configured from
 * those defaults the way Maven does (fields injected), and each parameter is shown to reach the
 * request it builds, or to stop a wrong configuration with a diagnosis.
 */
class GenerateMojoTest {

    /** Parameters whose documented default is "none". */
    private static final List<String> NO_DEFAULT = List.of("jdbcUrl", "jdbcUser", "jdbcPassword", "placeholders",
            "schemaReference", "modules", "columns", "lintBaseline");

    @TempDir
    Path root;

    private MavenProject project;
    private Properties userProperties;
    private GenerateMojo mojo;

    @BeforeEach
    void configureFromTheDescriptorsDefaults() throws Exception {
        Files.createDirectories(root.resolve("src/main/resources/db/migration"));
        Model model = new Model();
        model.setGroupId("com.example");
        model.setArtifactId("service");
        model.setVersion("1");
        model.setBuild(new Build());
        project = new MavenProject(model);
        project.setFile(root.resolve("pom.xml").toFile());
        project.getBuild().setDirectory(root.resolve("target").toString());
        DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
        userProperties = request.getUserProperties();
        @SuppressWarnings("deprecation")
        MavenSession session = new MavenSession(null, null, request, new DefaultMavenExecutionResult());
        mojo = new GenerateMojo();
        set("project", project);
        set("session", session);
        set("mojoExecution", new MojoExecution(null, "generate-test-service"));
        for (Map.Entry<String, String> entry : descriptorDefaults().entrySet()) {
            String value = entry.getValue()
                    .replace("${project.build.directory}", project.getBuild().getDirectory())
                    .replace("${project.groupId}", project.getGroupId())
                    .replace("${user.home}", System.getProperty("user.home"));
            Field field = GenerateMojo.class.getDeclaredField(entry.getKey());
            Class<?> type = field.getType();
            Object converted = type == boolean.class ? Boolean.valueOf(value)
                    : type == File.class ? new File(value)
                    : type == List.class ? new ArrayList<>(Arrays.asList(value.split(",")))
                    : value;
            set(entry.getKey(), converted);
        }
    }

    @Test
    void everyParameterHasAUserPropertyADefaultAndADescription() throws Exception {
        Element mojoElement = descriptor();
        NodeList parameters = mojoElement.getElementsByTagName("parameter");
        Map<String, String> expressions = configuration(mojoElement, false);
        Map<String, String> defaults = configuration(mojoElement, true);
        List<String> editable = new ArrayList<>();
        for (int i = 0; i < parameters.getLength(); i++) {
            Element parameter = (Element) parameters.item(i);
            String name = text(parameter, "name");
            if (!Boolean.parseBoolean(text(parameter, "editable"))) {
                continue;
            }
            editable.add(name);
            String description = text(parameter, "description");
            assertThat(description).as("description of %s", name).isNotBlank();
            if (name.equals("placeholders")) {
                assertThat(description).contains(GenerateMojo.PLACEHOLDER_PROPERTY_PREFIX + "key");
            } else if (name.equals("modules") || name.equals("columns")) {
                assertThat(expressions).as("a list of elements has no user property").doesNotContainKey(name);
            } else {
                assertThat(expressions.get(name)).as("user property of %s", name)
                        .isEqualTo("${sentinel.codegen." + name + "}");
            }
            if (NO_DEFAULT.contains(name)) {
                assertThat(description).as("documented default of %s", name).contains("Default: none");
            } else {
                assertThat(defaults).as("default of %s", name).containsKey(name);
                assertThat(description).as("documented default of %s", name).containsPattern("Default[: ]");
            }
        }
        assertThat(editable).containsExactlyInAnyOrder("skip", "packageName", "inputSchema", "locations", "directory",
                "placeholders", "includes", "excludes", "enums", "database", "jdbcUrl", "jdbcUser", "jdbcPassword",
                "testcontainersImage", "ownerRole", "appRole", "force", "testSources", "lint",
                "schemaReference", "modules", "columns", "extensionObjects", "lintBaseline", "writeLintBaseline",
                "machineCache");
    }

    @Test
    void everyParameterIsDocumentedInDocsCodegenWithItsProperty() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "codegen.md"));
        Element mojoElement = descriptor();
        NodeList parameters = mojoElement.getElementsByTagName("parameter");
        for (int i = 0; i < parameters.getLength(); i++) {
            Element parameter = (Element) parameters.item(i);
            String name = text(parameter, "name");
            if (Boolean.parseBoolean(text(parameter, "editable"))) {
                String property = name.equals("placeholders") ? GenerateMojo.PLACEHOLDER_PROPERTY_PREFIX + "<key>"
                        : name.equals("modules") || name.equals("columns") ? "(none)" : "sentinel.codegen." + name;
                assertThat(docs).as("docs/codegen.md row of %s", name).contains("| `" + name + "` | `" + property + "` |");
            }
        }
    }

    @Test
    void defaultsMakeTheDocumentedRequest() throws Exception {
        SchemaBuild build = mojo.configuration();

        assertThat(build.inputSchema()).isEqualTo("public");
        assertThat(build.packageName()).isEqualTo("com.example.db");
        assertThat(build.directory()).isEqualTo(root.resolve("target/generated-sources/sentinel"));
        assertThat(build.locations()).containsExactly("filesystem:" + root.resolve("src/main/resources/db/migration"));
        assertThat(build.placeholders()).isEmpty();
        assertThat(build.includes()).isEqualTo(".*");
        assertThat(build.excludes()).isEmpty();
        assertThat(build.enums()).isTrue();
        assertThat(build.server()).isEqualTo(SchemaBuild.Server.embedded());
        assertThat(build.lint()).isEqualTo(LintMode.FAIL);
        assertThat(build.roles()).isEqualTo(Roles.defaults());
        assertThat(build.force()).isFalse();
        assertThat(build.schemaReference()).describedAs("no reference unless asked").isNull();
        assertThat(build.columns()).isEmpty();
        assertThat(build.extensionObjects()).describedAs("extensions' objects left out").isFalse();
        assertThat(build.lintBaseline()).isNull();
        assertThat(build.writeLintBaseline()).isFalse();
        assertThat(build.machineCache()).describedAs("per machine, outside target/")
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "sentinel-codegen"));
        assertThat(build.workDirectory()).describedAs("one per execution")
                .isEqualTo(root.resolve("target/sentinel-codegen/generate-test-service"));
    }

    static Stream<Arguments> parameters() {
        return Stream.of(
                wiring("packageName", "org.acme.persistence", SchemaBuild::packageName, "org.acme.persistence"),
                wiring("inputSchema", "billing", SchemaBuild::inputSchema, "billing"),
                wiring("includes", "notes|labels", SchemaBuild::includes, "notes|labels"),
                wiring("excludes", "drafts", SchemaBuild::excludes, "drafts"),
                wiring("enums", false, SchemaBuild::enums, false),
                wiring("force", true, SchemaBuild::force, true),
                wiring("lint", "Warn", SchemaBuild::lint, LintMode.WARN),
                wiring("lint", "off", SchemaBuild::lint, LintMode.OFF),
                wiring("ownerRole", "acme_owner", b -> b.roles().owner(), "acme_owner"),
                wiring("appRole", "acme_app", b -> b.roles().app(), "acme_app"),
                wiring("database", "TestContainers", b -> b.server().mode(), DatabaseMode.TESTCONTAINERS),
                wiring("testcontainersImage", "postgres:17-alpine", b -> b.server().testcontainersImage(),
                        "postgres:17-alpine"),
                wiring("extensionObjects", true, SchemaBuild::extensionObjects, true),
                wiring("writeLintBaseline", true, SchemaBuild::writeLintBaseline, true),
                wiring("machineCache", "off", SchemaBuild::machineCache, null),
                wiring("machineCache", "/var/cache/sentinel", SchemaBuild::machineCache, Path.of("/var/cache/sentinel")));
    }

    private static Arguments wiring(String parameter, Object value, Function<SchemaBuild, Object> read, Object expected) {
        return Arguments.of(parameter, value, read, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parameters")
    void eachParameterReachesTheRequest(String parameter, Object value, Function<SchemaBuild, Object> read,
            Object expected) throws Exception {
        if (parameter.equals("testcontainersImage")) {
            set("database", "testcontainers");
        }
        set(parameter, value);

        assertThat(read.apply(mojo.configuration())).isEqualTo(expected);
    }

    @Test
    void directoryAndLocationsReachTheRequest() throws Exception {
        Path elsewhere = root.resolve("sql/one");
        Files.createDirectories(elsewhere);
        set("directory", root.resolve("out").toFile());
        set("locations", List.of("filesystem:sql/one", "classpath:db/shared"));

        SchemaBuild build = mojo.configuration();

        assertThat(build.directory()).isEqualTo(root.resolve("out"));
        assertThat(build.locations()).containsExactly("filesystem:" + elsewhere, "classpath:db/shared");
    }

    @Test
    void modulesReachTheRequestInOrderAndAWrongOneIsDiagnosed() throws Exception {
        Files.createDirectories(root.resolve("db/crm"));
        set("modules", List.of(new ModuleMigrations("agency", List.of("classpath:db/agency")),
                new ModuleMigrations("crm", List.of("filesystem:db/crm"))));

        assertThat(mojo.configuration().modules()).containsExactly(
                new Migrations.Layer("agency", List.of("classpath:db/agency")),
                new Migrations.Layer("crm", List.of("filesystem:" + root.resolve("db/crm"))));

        set("modules", List.of(new ModuleMigrations("sentinel", List.of("classpath:db/x"))));
        assertThatThrownBy(mojo::configuration).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<modules>: 'sentinel' is not a schema a module can have");
        set("modules", List.of(new ModuleMigrations("agency", List.of()), new ModuleMigrations("agency", List.of())));
        assertThatThrownBy(mojo::configuration).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("module agency names no <locations>");
        set("modules", List.of(new ModuleMigrations("agency", List.of("classpath:a")),
                new ModuleMigrations("agency", List.of("classpath:b"))));
        assertThatThrownBy(mojo::configuration).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("not another module's");
    }

    @Test
    void aPrismaHistoryIsResolvedAgainstTheProject() throws Exception {
        Files.createDirectories(root.resolve("prisma/migrations"));
        set("locations", List.of("prisma:filesystem:prisma/migrations"));

        assertThat(mojo.configuration().locations())
                .containsExactly("prisma:filesystem:" + root.resolve("prisma/migrations"));

        set("locations", List.of("prisma:filesystem:prisma/nowhere"));
        assertThatThrownBy(mojo::configuration).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("prisma/nowhere is not a directory")
                .hasMessageContaining("the folder that holds migration_lock.toml");
    }

    @Test
    void lintBaselineIsResolvedAgainstTheProjectAndColumnsReachTheRequest() throws Exception {
        set("lintBaseline", new File("src/main/resources/db/lint-baseline.txt"));
        set("columns", List.of(new ColumnOverride("orders.createdAt", "created_at_prisma", false),
                new ColumnOverride("orders.legacy", null, true)));
        SchemaBuild build = mojo.configuration();
        assertThat(build.lintBaseline()).isEqualTo(root.resolve("src/main/resources/db/lint-baseline.txt"));
        assertThat(build.columns()).containsEntry("orders.createdAt", new SchemaBuild.Column("created_at_prisma", false))
                .containsEntry("orders.legacy", new SchemaBuild.Column(null, true));

        set("columns", List.of(new ColumnOverride("createdAt", "x", false)));
        assertThatThrownBy(mojo::configuration).hasMessageContaining("<columns>: 'createdAt' is not a column");
        set("columns", List.of(new ColumnOverride("orders.createdAt", "x", true)));
        assertThatThrownBy(mojo::configuration).hasMessageContaining("either a <javaName>");
        set("columns", List.of(new ColumnOverride("orders.createdAt", "created-at", false)));
        assertThatThrownBy(mojo::configuration).hasMessageContaining("is not a name of letters, digits and underscores");
    }

    @Test
    void schemaReferenceIsResolvedAgainstTheProject() throws Exception {
        set("schemaReference", new File("docs/schema-reference.md"));

        assertThat(mojo.configuration().schemaReference()).isEqualTo(root.resolve("docs/schema-reference.md"));

        set("schemaReference", root.resolve("elsewhere/schema.md").toFile());
        assertThat(mojo.configuration().schemaReference()).isEqualTo(root.resolve("elsewhere/schema.md"));
    }

    @Test
    void jdbcParametersReachTheRequestAndThePasswordStaysOutOfItsText() throws Exception {
        set("database", "jdbc");
        set("jdbcUrl", "jdbc:postgresql://db.internal:5432/postgres");
        set("jdbcUser", "admin");
        set("jdbcPassword", "hunter2");

        SchemaBuild.Server server = mojo.configuration().server();

        assertThat(server).isEqualTo(new SchemaBuild.Server(DatabaseMode.JDBC,
                "jdbc:postgresql://db.internal:5432/postgres", "admin", "hunter2", null));
        assertThat(server.toString()).doesNotContain("hunter2");
    }

    @Test
    void placeholdersComeFromTheMapAndFromUserPropertiesWhichWin() throws Exception {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("region", "eu");
        map.put("retention", "30");
        set("placeholders", map);
        project.getProperties().setProperty(GenerateMojo.PLACEHOLDER_PROPERTY_PREFIX + "retention", "60");
        userProperties.setProperty(GenerateMojo.PLACEHOLDER_PROPERTY_PREFIX + "region", "us");
        userProperties.setProperty(GenerateMojo.PLACEHOLDER_PROPERTY_PREFIX + "extra", "x");

        assertThat(mojo.configuration().placeholders())
                .containsExactlyInAnyOrderEntriesOf(Map.of("region", "us", "retention", "60", "extra", "x"));
    }

    @Test
    void theDirectoryBecomesAMainSourceRootOrWithTestSourcesATestSourceRoot() throws Exception {
        mojo.addSourceRoot();
        assertThat(project.getCompileSourceRoots())
                .containsExactly(root.resolve("target/generated-sources/sentinel").toString());
        assertThat(project.getTestCompileSourceRoots()).isEmpty();

        set("testSources", true);
        set("directory", root.resolve("target/generated-test-sources/sentinel").toFile());
        mojo.addSourceRoot();
        assertThat(project.getTestCompileSourceRoots())
                .containsExactly(root.resolve("target/generated-test-sources/sentinel").toString());
    }

    @Test
    void skipGeneratesNothingAndAddsNoSourceRoot() throws Exception {
        set("skip", true);
        set("inputSchema", "Not A Schema"); // would fail if anything but skip ran

        mojo.execute();

        assertThat(project.getCompileSourceRoots()).isEmpty();
        assertThat(project.getTestCompileSourceRoots()).isEmpty();
        assertThat(root.resolve("target")).doesNotExist();
    }

    static Stream<Arguments> wrongConfigurations() {
        return Stream.of(
                Arguments.of("inputSchema", "Public Schema", "<inputSchema> 'Public Schema' is not a plain PostgreSQL schema name"),
                Arguments.of("packageName", "com.example-db", "<packageName> 'com.example-db' is not a Java package name"),
                Arguments.of("packageName", "dev.sentinel.core.db", "overlaps dev.sentinel.core.db"),
                Arguments.of("ownerRole", "Owner", "<ownerRole>/<appRole>"),
                Arguments.of("appRole", "sentinel_owner", "must be a different role"),
                Arguments.of("includes", "notes(", "<includes> 'notes(' is not a valid regular expression"),
                Arguments.of("excludes", "[", "<excludes> '[' is not a valid regular expression"),
                Arguments.of("lint", "strict", "<lint> 'strict' is not a lint mode: use fail"),
                Arguments.of("database", "docker", "<database> 'docker' is not a database mode: use embedded"),
                Arguments.of("locations", List.of("filesystem:src/sql"), "is not a directory. Put the project's migrations there"),
                Arguments.of("locations", List.of(), "<locations> is empty"),
                Arguments.of("testcontainersImage", " ", "<testcontainersImage> is empty"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongConfigurations")
    void aWrongConfigurationIsDiagnosedBeforeAnythingStarts(String parameter, Object value, String diagnosis)
            throws Exception {
        if (parameter.equals("testcontainersImage")) {
            set("database", "testcontainers");
        }
        set(parameter, value);

        assertThatThrownBy(mojo::configuration).isInstanceOf(MojoFailureException.class).hasMessageContaining(diagnosis);
        assertThat(root.resolve("target")).doesNotExist();
    }

    @Test
    void jdbcWithoutAUrlOrWithAnotherUrlIsDiagnosed() throws Exception {
        set("database", "jdbc");
        assertThatThrownBy(mojo::configuration).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<database>jdbc</database> needs <jdbcUrl>")
                .hasMessageContaining("-Dsentinel.codegen.jdbcUrl=");

        set("jdbcUrl", "jdbc:mysql://localhost/db");
        assertThatThrownBy(mojo::configuration).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<jdbcUrl> must be a PostgreSQL JDBC URL");
    }

    @Test
    void sentinelsOwnSchemaNeedsNoProjectMigrations() throws Exception {
        set("inputSchema", "sentinel");
        set("packageName", "dev.sentinel.core.db");
        set("locations", List.of("filesystem:does/not/exist"));

        assertThat(mojo.configuration().locations()).isEmpty();
    }

    private void set(String name, Object value) throws ReflectiveOperationException {
        Field field = GenerateMojo.class.getDeclaredField(name);
        field.setAccessible(true);
        field.set(mojo, value);
    }

    private static Element descriptor() throws Exception {
        Path file = Path.of("target", "classes", "META-INF", "maven", "plugin.xml");
        Element plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        NodeList mojos = plugin.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            if (text(mojo, "goal").equals("generate")) {
                return mojo;
            }
        }
        throw new AssertionError("no goal generate in " + file);
    }

    private static Map<String, String> descriptorDefaults() throws Exception {
        return configuration(descriptor(), true);
    }

    /** The {@code <configuration>} children of editable parameters: their expressions, or their default values. */
    private static Map<String, String> configuration(Element mojo, boolean defaults) {
        List<String> editable = new ArrayList<>();
        NodeList parameters = mojo.getElementsByTagName("parameter");
        for (int i = 0; i < parameters.getLength(); i++) {
            Element parameter = (Element) parameters.item(i);
            if (Boolean.parseBoolean(text(parameter, "editable"))) {
                editable.add(text(parameter, "name"));
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        Element configuration = (Element) mojo.getElementsByTagName("configuration").item(0);
        NodeList children = configuration.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && editable.contains(element.getTagName())) {
                if (!defaults) {
                    result.put(element.getTagName(), element.getTextContent().trim());
                } else if (element.hasAttribute("default-value")) {
                    result.put(element.getTagName(), element.getAttribute("default-value"));
                }
            }
        }
        return result;
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
