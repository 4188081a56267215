package dev.sentinel.codegen.internal;

import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.internal.PrismaHistory;
import dev.sentinel.schema.tools.lint.SchemaLinter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SHA-256 of everything that decides the generated code, computed before any PostgreSQL is
 * started: the configuration (every field of {@link SchemaBuild} except the password, {@code force}
 * and the work directory; the lint setting and the schema reference's path included), the
 * placeholders, the contents of every migration (Sentinel's, the modules' and the project's,
 * filesystem and classpath locations alike), the contents of the plugin's own classes and
 * of sentinel-schema and sentinel-schema-tools (the linter and the reference decide the outcome too),
 * the jOOQ version, and the names of every jar on the plugin's class path (so a different Flyway,
 * pgjdbc or PostgreSQL binary version counts as a change).
 *
 * <p>Every value is written with its length before it, so two different inputs cannot run together
 * into the same byte stream. Not thread-safe; use one instance per computation.
 */
public final class InputHash {

    /** Bumped whenever what is hashed, or how the output is laid out, changes. */
    private static final String FORMAT = "sentinel-codegen-inputs/6";

    private final MessageDigest digest;

    private InputHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    /**
     * Hashes the inputs of one build.
     *
     * @param build the request
     * @param classLoader the loader that Flyway scans for {@code classpath:} locations (the plugin's)
     * @return the hash as 64 lower-case hex digits
     * @throws GenerationException if an input cannot be read
     */
    public static String of(SchemaBuild build, ClassLoader classLoader) {
        InputHash hash = new InputHash();
        try {
            hash.configuration(build);
            hash.migrations(SchemaNames.MIGRATION_LOCATION, classLoader);
            for (Migrations.Layer module : build.modules()) {
                for (String location : module.locations()) {
                    hash.migrations(location, classLoader);
                }
            }
            for (String location : build.locations()) {
                hash.migrations(location, classLoader);
            }
            hash.code(classLoader);
        } catch (IOException e) {
            throw new GenerationException("Could not read an input of code generation: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new GenerationException("Could not read an input of code generation: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(hash.digest.digest());
    }

    /**
     * Hashes what {@link #of} hashes except the contents of the project's migrations: two builds
     * with the same value and the same migrated catalog generate the same files, so a change to a
     * migration that leaves the catalog as it was (a comment) needs no jOOQ run.
     *
     * @param build the request
     * @param classLoader the plugin's loader
     * @return the hash as 64 lower-case hex digits
     * @throws GenerationException if an input cannot be read
     */
    public static String withoutProjectMigrations(SchemaBuild build, ClassLoader classLoader) {
        InputHash hash = new InputHash();
        try {
            hash.configuration(build);
            hash.code(classLoader);
        } catch (IOException | UncheckedIOException e) {
            throw new GenerationException("Could not read an input of code generation: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(hash.digest.digest());
    }

    /**
     * Hashes what decides the migrated template of Sentinel's own schema and its modules' that the
     * machine cache keeps: their migrations, the role names and placeholders, sentinel-schema's
     * code (the migration runner and the role bootstrap), the names of the jars on the plugin's class
     * path (the PostgreSQL binaries' version among them), and the operating system and architecture.
     *
     * @param build the request
     * @param classLoader the plugin's loader
     * @return the hash as 64 lower-case hex digits
     * @throws GenerationException if an input cannot be read
     */
    public static String template(SchemaBuild build, ClassLoader classLoader) {
        InputHash hash = new InputHash();
        try {
            hash.put("format", "sentinel-codegen-template/1");
            hash.put("os", System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
            hash.put("owner", build.roles().owner());
            hash.put("app", build.roles().app());
            for (Map.Entry<String, String> placeholder : build.placeholders().entrySet()) {
                hash.put("placeholder", placeholder.getKey());
                hash.put("value", String.valueOf(placeholder.getValue()));
            }
            hash.migrations(SchemaNames.MIGRATION_LOCATION, classLoader);
            for (Migrations.Layer module : build.modules()) {
                hash.put("module", module.schema());
                for (String location : module.locations()) {
                    hash.migrations(location, classLoader);
                }
            }
            hash.codeSource(SchemaNames.class.getProtectionDomain().getCodeSource());
            hash.classpathNames(classLoader);
        } catch (IOException | UncheckedIOException e) {
            throw new GenerationException("Could not read Sentinel's migrations: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(hash.digest.digest());
    }

    private void configuration(SchemaBuild build) {
        put("format", FORMAT);
        put("inputSchema", build.inputSchema());
        put("packageName", build.packageName());
        put("directory", build.directory().toAbsolutePath().normalize().toString());
        put("locations", String.join("\n", build.locations()));
        put("modules", build.modules().stream().map(m -> m.schema() + "=" + String.join(",", m.locations()))
                .collect(Collectors.joining("\n")));
        put("owner", build.roles().owner());
        put("app", build.roles().app());
        put("includes", build.includes());
        put("excludes", build.excludes());
        put("enums", Boolean.toString(build.enums()));
        // The lint setting decides whether a build with findings succeeds, so it is configuration too.
        put("lint", build.lint().configName());
        put("schemaReference", build.schemaReference() == null ? ""
                : build.schemaReference().toAbsolutePath().normalize().toString());
        build.columns().forEach((column, override) -> put("column", column + "=" + override.javaName() + ","
                + override.exclude()));
        put("extensionObjects", Boolean.toString(build.extensionObjects()));
        // The accepted findings decide whether a build with findings succeeds; the file is read here.
        put("lintBaseline", build.lintBaseline() == null ? "" : build.lintBaseline().toString());
        if (build.lintBaseline() != null) {
            try {
                put("lintBaselineContent", Files.isRegularFile(build.lintBaseline())
                        ? Files.readString(build.lintBaseline(), StandardCharsets.UTF_8) : "(missing)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        put("writeLintBaseline", Boolean.toString(build.writeLintBaseline()));
        SchemaBuild.Server server = build.server();
        put("database", server.mode().configName());
        put("jdbcUrl", String.valueOf(server.jdbcUrl()));
        put("jdbcUser", String.valueOf(server.jdbcUser()));
        put("testcontainersImage", String.valueOf(server.testcontainersImage()));
        for (Map.Entry<String, String> placeholder : build.placeholders().entrySet()) {
            put("placeholder", placeholder.getKey());
            put("value", String.valueOf(placeholder.getValue()));
        }
    }

    private void migrations(String location, ClassLoader classLoader) throws IOException {
        put("location", location);
        // A Prisma location is hashed as its whole folder: migration_lock.toml and every script.
        String target = PrismaHistory.isPrismaLocation(location) ? PrismaHistory.target(location) : location;
        if (target.startsWith("filesystem:")) {
            tree(Path.of(target.substring("filesystem:".length())));
        } else {
            String path = target.startsWith("classpath:") ? target.substring("classpath:".length()) : target;
            classpath(stripSlashes(path), classLoader);
        }
    }

    private void tree(Path root) throws IOException {
        if (!Files.exists(root)) {
            put("missing", root.toString());
            return;
        }
        if (Files.isRegularFile(root)) {
            put("file", root.getFileName().toString());
            putBytes(Files.readAllBytes(root));
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            put("file", root.relativize(file).toString().replace('\\', '/'));
            putBytes(Files.readAllBytes(file));
        }
    }

    private void classpath(String prefix, ClassLoader classLoader) throws IOException {
        // Every copy of the prefix on the class path, in the loader's order (Flyway scans them all).
        List<URL> roots = Collections.list(classLoader.getResources(prefix));
        for (URL root : roots) {
            put("root", root.getProtocol());
            if ("file".equals(root.getProtocol())) {
                tree(toPath(root));
            } else if ("jar".equals(root.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) root.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    jarEntries(jar, prefix + "/");
                }
            } else {
                put("unreadable", root.toString());
            }
        }
    }

    private void code(ClassLoader classLoader) throws IOException {
        codeSource(InputHash.class.getProtectionDomain().getCodeSource());
        codeSource(SchemaNames.class.getProtectionDomain().getCodeSource());
        codeSource(SchemaLinter.class.getProtectionDomain().getCodeSource());
        put("jooq", jooqVersion(classLoader));
        classpathNames(classLoader);
    }

    private void classpathNames(ClassLoader classLoader) {
        if (classLoader instanceof URLClassLoader urls) {
            List<String> names = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                names.add(Path.of(url.getPath()).getFileName().toString());
            }
            Collections.sort(names);
            put("classpath", String.join("\n", names));
        }
    }

    private void codeSource(CodeSource source) throws IOException {
        if (source == null || source.getLocation() == null) {
            put("code", "unknown");
            return;
        }
        Path path = toPath(source.getLocation());
        if (Files.isDirectory(path)) {
            tree(path);
        } else {
            // A jar is hashed once per JVM and version of the file: a build hashes the same jars
            // up to three times (inputs, configuration, template), and a reactor build once per module.
            String key = path + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis();
            String digested = JARS.get(key);
            if (digested == null) {
                InputHash jarHash = new InputHash();
                try (JarFile jar = new JarFile(path.toFile())) {
                    jarHash.jarEntries(jar, "");
                }
                digested = HexFormat.of().formatHex(jarHash.digest.digest());
                JARS.put(key, digested);
            }
            put("jar", digested);
        }
    }

    private static final Map<String, String> JARS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Entry names and contents, sorted by name: a jar rebuilt with other timestamps hashes the same. */
    private void jarEntries(JarFile jar, String prefix) throws IOException {
        Map<String, JarEntry> entries = new TreeMap<>();
        jar.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(prefix))
                .forEach(e -> entries.put(e.getName(), e));
        for (JarEntry entry : entries.values()) {
            put("entry", entry.getName().substring(prefix.length()));
            try (InputStream in = jar.getInputStream(entry)) {
                putBytes(in.readAllBytes());
            }
        }
    }

    private static String jooqVersion(ClassLoader classLoader) {
        // Read at run time: the constant would be inlined at compile time, hiding an overridden jOOQ.
        try {
            return String.valueOf(Class.forName("org.jooq.Constants", false, classLoader).getField("FULL_VERSION").get(null));
        } catch (ReflectiveOperationException e) {
            throw new GenerationException("Could not read jOOQ's version from org.jooq.Constants: is jOOQ on the"
                    + " plugin's class path?", e);
        }
    }

    private static Path toPath(URL url) {
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new GenerationException("Cannot read " + url + " as a file", e);
        }
    }

    private static String stripSlashes(String path) {
        String result = path;
        while (result.startsWith("/")) {
            result = result.substring(1);
        }
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private void put(String key, String value) {
        putBytes(key.getBytes(StandardCharsets.UTF_8));
        putBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    private void putBytes(byte[] bytes) {
        digest.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }
}
