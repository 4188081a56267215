package dev.sentinel.core.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code snippet of the README and the docs is copied from code that the build compiles or
 * runs (issue 12). The check reads {@code README.md}, {@code docs/*.md} (except
 * {@code docs/schema-reference.md} and {@code docs/agency-schema-reference.md}, which are generated and
 * checked by {@code SchemaReferenceTest} and the agency's {@code AgencySchemaReferenceTest}),
 * {@code bench/README.md} and the {@code README.md} of any folder of {@code examples}, and holds
 * each fenced block to these rules:
 *
 * <ol>
 *   <li><b>Every fenced block names its language.</b> A block that is not code (program output, an
 *       error message, a diagram, a stored format) is tagged {@code text} and not checked.
 *   <li><b>A code block</b> ({@code java}, {@code xml}, {@code sql}, and any other language except
 *       {@code text} and {@code sh}) <b>appears in one file that the build compiles or runs</b>: a
 *       file under a {@code src} folder of the repository (module sources and resources, main and
 *       test, the invoker fixtures of {@code codegen/it/src/it}), a {@code pom.xml}, or
 *       {@code .ci/run}; never a file under {@code target/}. Lines compare without their
 *       indentation and blank lines are ignored; a line {@code ...} (or {@code // ...},
 *       {@code -- ...}, {@code <!-- ... -->}) separates parts, which must appear in that order, each
 *       as consecutive lines, in the same file. Where the code runs, the file should be the test
 *       that runs it. {@code docs/downstream.md} walks through {@code examples/downstream-service},
 *       so its blocks must come from that folder. Generated code, which is never committed, is
 *       listed in {@link #GENERATED} with the test that generates the file and compares it with
 *       the block.
 *   <li><b>An {@code sh} block holds commands</b> (a line ending in {@code \} continues on the
 *       next, {@code #} starts a comment, {@code |}, {@code &&} and {@code ;} separate commands):
 *       <ul>
 *         <li>{@code ./mvnw} commands run what the repository runs. The README's "Run all tests"
 *             command is exactly the first Maven command of {@code .ci/run}, without the CI's log
 *             flags {@code -B -ntp}. A command that sets a property which a command of
 *             {@code .ci/run} or a command constant of the sources (a Java string starting with
 *             {@code ./mvnw}, such as {@code SchemaReferenceTest.REGENERATE}) also sets is exactly
 *             that command. Every other command names only modules of the reactor ({@code -pl}),
 *             profiles and properties that a pom or the codegen plugin reads ({@code -P},
 *             {@code -D}), known options, and lifecycle phases.
 *         <li>{@code java -cp <module>/target/<artifactId>-<version>.jar <class>} names the jar that
 *             module builds and a class of its main sources with a {@code main} method.
 *         <li>{@code export} lines (a machine's JDK path) and other programs ({@code psql}) are not
 *             the project's and are not checked.
 *       </ul>
 * </ol>
 *
 * <p>The check runs on files alone (no database) with core's module folder as the working directory.
 * It prints, per document, how many blocks it checked of each kind.
 */
class DocSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SELF = Path.of("core/src/test/java/dev/sentinel/core/docs/DocSnippetsTest.java");

    private static final Set<String> ELISIONS = Set.of("...", "// ...", "-- ...", "<!-- ... -->");

    /** Documents whose blocks must all come from one folder. */
    private static final Map<String, String> ONLY_FROM = Map.of("docs/downstream.md", "examples/downstream-service/");

    /**
     * Blocks of generated code, which no committed file holds, by document and the block's first line:
     * the test that generates the file and checks that it contains the block.
     */
    static final Map<String, String> GENERATED = Map.of(
            "docs/codegen.md|// com/example/db/Keys.java",
            "codegen/src/test/java/dev/sentinel/codegen/internal/DownstreamGenerationTest.java");

    /** The CI's log flags (batch mode, no download progress), which the docs leave out. */
    private static final Set<String> CI_FLAGS = Set.of("-B", "-ntp");
    private static final Set<String> MAVEN_OPTIONS = Set.of("-q", "-am", "-amd", "-B", "-ntp", "-o", "-U", "-e", "-X");
    private static final Set<String> MAVEN_PHASES = Set.of("clean", "validate", "initialize", "generate-sources",
            "process-sources", "generate-resources", "process-resources", "compile", "process-classes",
            "generate-test-sources", "process-test-sources", "test-compile", "test", "package", "verify");
    /** Maven's and Surefire's own properties, which no pom of the repository needs to read. */
    private static final Set<String> MAVEN_PROPERTIES = Set.of("skipTests", "maven.test.skip", "test",
            "surefire.failIfNoSpecifiedTests", "maven.javadoc.skip", "maven.source.skip");

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})(.*)$");
    private static final Pattern MVNW_CONSTANT = Pattern.compile("\"(\\./mvnw [^\"\\\\]*)\"");

    private static Map<String, List<String>> sources;

    /** One fenced block of a document: where it starts (1-based), its language and its lines. */
    record Block(String doc, int line, String language, List<String> lines) {

        String where() {
            return doc + " line " + line;
        }

        String firstLine() {
            return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        }
    }

    // ---------------------------------------------------------------- the documents and their blocks

    /** The documents checked, relative to the repository's root, with '/'. */
    static List<String> documents() {
        List<String> docs = new ArrayList<>();
        docs.add("README.md");
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.map(file -> "docs/" + file.getFileName()).filter(name -> name.endsWith(".md"))
                    .filter(name -> !name.endsWith("schema-reference.md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        docs.add("bench/README.md");
        try (Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
            examples.map(example -> example.resolve("README.md")).filter(Files::isRegularFile).sorted()
                    .forEach(readme -> docs.add(relative(readme)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The fenced blocks of a document (CommonMark fences of three or more backticks or tildes). */
    static List<Block> blocks(String doc, List<String> text) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            Matcher open = FENCE.matcher(text.get(i));
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(2);
            String info = open.group(3).strip();
            String language = info.isEmpty() ? "" : info.split("\\s+")[0];
            int start = i;
            List<String> lines = new ArrayList<>();
            while (true) {
                i++;
                if (i == text.size()) {
                    throw new AssertionError(doc + " line " + (start + 1) + ": the fenced block is never closed;"
                            + " end it with a line " + fence);
                }
                String line = text.get(i);
                String stripped = line.strip();
                if (stripped.length() >= fence.length() && stripped.chars().allMatch(c -> c == fence.charAt(0))) {
                    break;
                }
                lines.add(line);
            }
            blocks.add(new Block(doc, start + 1, language, lines));
        }
        return blocks;
    }

    static List<Block> allBlocks() {
        List<Block> blocks = new ArrayList<>();
        for (String doc : documents()) {
            blocks.addAll(blocks(doc, read(ROOT.resolve(doc))));
        }
        return blocks;
    }

    // ---------------------------------------------------------------- code blocks

    /**
     * The files the build compiles or runs, by path relative to the root ('/'), as normalized lines:
     * everything under a {@code src} folder, every {@code pom.xml}, and {@code .ci/run}; nothing
     * under {@code target}, and not this test, which quotes blocks for its self-test.
     */
    static synchronized Map<String, List<String>> sources() {
        if (sources == null) {
            Map<String, List<String>> found = new TreeMap<>();
            try {
                Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                        boolean skip = !dir.equals(ROOT) && (name.equals("target") || name.equals("node_modules")
                                || (name.startsWith(".") && !name.equals(".ci")));
                        return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        Path path = ROOT.relativize(file);
                        boolean underSrc = false;
                        for (Path part : path) {
                            underSrc |= part.toString().equals("src");
                        }
                        boolean built = underSrc || file.getFileName().toString().equals("pom.xml")
                                || path.equals(Path.of(".ci", "run"));
                        if (built && !path.equals(SELF) && attributes.size() < 2_000_000) {
                            found.put(relative(file), normalized(read(file)));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sources = Collections.unmodifiableMap(found);
        }
        return sources;
    }

    private static List<String> normalized(List<String> lines) {
        return lines.stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** The parts of a block between elision lines, each normalized. */
    static List<List<String>> parts(Block block) {
        List<List<String>> parts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : normalized(block.lines())) {
            if (ELISIONS.contains(line)) {
                parts.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        parts.add(current);
        return parts.stream().filter(part -> !part.isEmpty()).toList();
    }

    /** Whether the parts appear in the file in order, each as consecutive lines. */
    static boolean containsInOrder(List<String> file, List<List<String>> parts) {
        int from = 0;
        for (List<String> part : parts) {
            int at = Collections.indexOfSubList(file.subList(from, file.size()), part);
            if (at < 0) {
                return false;
            }
            from += at + part.size();
        }
        return true;
    }

    /** The file a code block is copied from, tests first, if there is one. */
    static Optional<String> copiedFrom(Block block, Map<String, List<String>> files) {
        List<List<String>> parts = parts(block);
        String folder = ONLY_FROM.getOrDefault(block.doc(), "");
        return files.entrySet().stream()
                .filter(file -> file.getKey().startsWith(folder))
                .filter(file -> containsInOrder(file.getValue(), parts))
                .map(Map.Entry::getKey)
                .min((a, b) -> Boolean.compare(!isTest(a), !isTest(b)));
    }

    private static boolean isTest(String path) {
        return path.contains("/src/test/") || path.contains("/src/it/");
    }

    /** What is wrong with a code block, or empty. */
    static Optional<String> checkCode(Block block, Map<String, List<String>> files) {
        if (parts(block).isEmpty()) {
            return Optional.of(block.where() + ": the " + block.language() + " block is empty; remove it or tag it text");
        }
        if (copiedFrom(block, files).isPresent()) {
            return Optional.empty();
        }
        String folder = ONLY_FROM.getOrDefault(block.doc(), "");
        String scope = folder.isEmpty() ? "any file the build compiles or runs (*/src/**, pom.xml, .ci/run)" : "any file of " + folder;
        String hint = "each part is in some file, but no one file has them all, in this order";
        for (List<String> part : parts(block)) {
            boolean anywhere = files.entrySet().stream().filter(file -> file.getKey().startsWith(folder))
                    .anyMatch(file -> Collections.indexOfSubList(file.getValue(), part) >= 0);
            if (!anywhere) {
                hint = "no file has the lines starting \"" + part.get(0) + "\"";
                break;
            }
        }
        return Optional.of(block.where() + ": the " + block.language() + " block is not copied from " + scope + " (" + hint
                + "). Copy it from the test or file that runs the code, or fix the doc to the code that runs; lines compare"
                + " without indentation and a line '...' skips lines. A block that is not code is tagged text.");
    }

    // ---------------------------------------------------------------- sh blocks

    /** The commands of an sh block: continuations joined, comments dropped, split at |, && and ;. */
    static List<String> commands(Block block) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.lines()) {
            String stripped = line.strip();
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            logical.add(current.toString());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            logical.add(current.toString());
        }
        List<String> commands = new ArrayList<>();
        for (String line : logical) {
            String code = line.replaceAll("(^|\\s)#.*$", "");
            for (String command : code.split("\\|\\||\\||&&|;")) {
                String words = String.join(" ", command.strip().split("\\s+"));
                if (!words.isEmpty()) {
                    commands.add(words);
                }
            }
        }
        return commands;
    }

    /** The Maven commands of .ci/run, without the CI's log flags. */
    static List<String> ciCommands() {
        return read(ROOT.resolve(".ci/run")).stream().map(String::strip).filter(line -> line.startsWith("./mvnw "))
                .map(line -> String.join(" ", words(line).stream().filter(word -> !CI_FLAGS.contains(word)).toList()))
                .toList();
    }

    /** Commands the repository runs or names, with where: .ci/run's, and Java string constants starting with ./mvnw. */
    static Map<String, String> knownCommands(Map<String, List<String>> files) {
        Map<String, String> known = new LinkedHashMap<>();
        ciCommands().forEach(command -> known.put(command, ".ci/run"));
        files.forEach((path, lines) -> {
            if (path.endsWith(".java")) {
                for (String line : lines) {
                    Matcher constant = MVNW_CONSTANT.matcher(line);
                    while (constant.find()) {
                        known.putIfAbsent(constant.group(1), path);
                    }
                }
            }
        });
        return known;
    }

    /** How many words two commands share. */
    private static int likeness(String one, String other) {
        Set<String> shared = new HashSet<>(words(one));
        shared.retainAll(words(other));
        return shared.size();
    }

    private static List<String> words(String command) {
        return List.of(command.strip().split("\\s+"));
    }

    /** The names of the -D properties a command sets. */
    private static Set<String> properties(String command) {
        Set<String> names = new HashSet<>();
        for (String word : words(command)) {
            if (word.startsWith("-D")) {
                names.add(word.substring(2).split("=", 2)[0]);
            }
        }
        return names;
    }

    /** The reactor's module folders, relative to the root, read from the poms' module lists. */
    static Set<String> reactorModules() {
        Set<String> modules = new HashSet<>();
        collectModules("", modules);
        return modules;
    }

    private static void collectModules(String folder, Set<String> modules) {
        String pom = String.join("\n", read(ROOT.resolve(folder).resolve("pom.xml"))).replaceAll("(?s)<!--.*?-->", "");
        Matcher module = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(pom);
        while (module.find()) {
            String child = Path.of(folder).resolve(module.group(1)).normalize().toString().replace('\\', '/');
            if (modules.add(child)) {
                collectModules(child, modules);
            }
        }
    }

    /** Properties and profile ids that the build reads: pom ${...} and profile activations, the plugin's user properties. */
    static Set<String> buildProperties(Map<String, List<String>> files) {
        Set<String> names = new HashSet<>(MAVEN_PROPERTIES);
        Pattern pomProperty = Pattern.compile("\\$\\{([^}]+)}|<name>([^<]+)</name>|<id>([^<]+)</id>");
        Pattern pluginProperty = Pattern.compile("property\\s*=\\s*\"([^\"]+)\"");
        files.forEach((path, lines) -> {
            boolean pom = path.endsWith("pom.xml");
            boolean main = path.contains("/src/main/java/");
            for (String line : lines) {
                Matcher matcher = (pom ? pomProperty : pluginProperty).matcher(line);
                while ((pom || main) && matcher.find()) {
                    for (int group = 1; group <= matcher.groupCount(); group++) {
                        if (matcher.group(group) != null) {
                            names.add(matcher.group(group).strip());
                        }
                    }
                }
            }
        });
        return names;
    }

    /** What is wrong with one command of an sh block, or empty. */
    static Optional<String> checkCommand(Block block, String command, Map<String, List<String>> files) {
        List<String> words = words(command);
        return switch (words.get(0)) {
            case "./mvnw" -> checkMaven(block, command, files);
            case "java" -> checkJava(block, words);
            default -> Optional.empty(); // export, psql: not the project's
        };
    }

    private static Optional<String> checkMaven(Block block, String command, Map<String, List<String>> files) {
        Map<String, String> known = knownCommands(files);
        if (known.containsKey(command)) {
            return Optional.empty();
        }
        // Of the known commands that set one of its properties, the one most like it (the kernel's and
        // the agency's reference commands share -Dsentinel.updateReference and differ in -pl).
        Map.Entry<String, String> closest = null;
        String property = null;
        for (Map.Entry<String, String> other : known.entrySet()) {
            Set<String> shared = properties(other.getKey());
            shared.retainAll(properties(command));
            shared.removeAll(MAVEN_PROPERTIES);
            if (!shared.isEmpty() && (closest == null || likeness(other.getKey(), command) > likeness(closest.getKey(), command))) {
                closest = other;
                property = shared.iterator().next();
            }
        }
        if (closest != null) {
            return Optional.of(block.where() + ": the command `" + command + "` sets -D" + property
                    + " like the command that " + closest.getValue() + " names; write exactly that one: " + closest.getKey());
        }
        Set<String> modules = reactorModules();
        Set<String> properties = buildProperties(files);
        List<String> words = words(command);
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            String problem = null;
            if (word.equals("-pl") && i + 1 < words.size()) {
                for (String module : words.get(++i).split(",")) {
                    if (!modules.contains(module)) {
                        problem = "-pl " + module + " is not a module of the reactor ("
                                + String.join(", ", modules.stream().sorted().toList()) + ")";
                    }
                }
            } else if (word.startsWith("-D")) {
                String name = word.substring(2).split("=", 2)[0];
                if (!properties.contains(name)) {
                    problem = "-D" + name + " is read by no pom and is no parameter of the codegen plugin";
                }
            } else if (word.startsWith("-P")) {
                String id = word.length() > 2 ? word.substring(2) : i + 1 < words.size() ? words.get(++i) : "";
                for (String profile : id.split(",")) {
                    if (!properties.contains(profile.replaceFirst("^[!-]", ""))) {
                        problem = "-P" + profile + " is no profile of the build";
                    }
                }
            } else if (word.startsWith("-")) {
                if (!MAVEN_OPTIONS.contains(word)) {
                    problem = word + " is not an option the docs use (" + String.join(" ", MAVEN_OPTIONS.stream().sorted().toList()) + ")";
                }
            } else if (!MAVEN_PHASES.contains(word)) {
                problem = word + " is not a lifecycle phase up to verify";
            }
            if (problem != null) {
                return Optional.of(block.where() + ": in `" + command + "`, " + problem);
            }
        }
        return Optional.empty();
    }

    /** {@code java -cp <module>/target/<artifactId>-<version>.jar <class> ...}. */
    private static Optional<String> checkJava(Block block, List<String> words) {
        if (words.size() < 4 || !(words.get(1).equals("-cp") || words.get(1).equals("-classpath"))) {
            return Optional.of(block.where() + ": write a java command as `java -cp <module>/target/<jar> <main class> ...`: "
                    + String.join(" ", words));
        }
        Matcher jar = Pattern.compile("(.+)/target/([^/]+)\\.jar").matcher(words.get(2));
        if (!jar.matches() || !Files.isRegularFile(ROOT.resolve(jar.group(1)).resolve("pom.xml"))) {
            return Optional.of(block.where() + ": " + words.get(2) + " is not a jar that a module of the repository builds"
                    + " (<module>/target/<artifactId>-<version>.jar)");
        }
        String module = jar.group(1);
        String[] coordinates = coordinates(module);
        String expected = coordinates[0] + "-" + coordinates[1];
        if (!jar.group(2).equals(expected)) {
            return Optional.of(block.where() + ": " + module + " builds " + module + "/target/" + expected + ".jar, not "
                    + words.get(2));
        }
        Path source = ROOT.resolve(module).resolve("src/main/java").resolve(words.get(3).replace('.', '/') + ".java");
        if (!Files.isRegularFile(source) || !String.join("\n", read(source)).contains("public static void main(")) {
            return Optional.of(block.where() + ": " + words.get(3) + " is not a class with a main method in " + module
                    + "/src/main/java");
        }
        return Optional.empty();
    }

    /** A module's artifactId and version (the parent's when it has none of its own). */
    private static String[] coordinates(String module) {
        String pom = String.join("\n", read(ROOT.resolve(module).resolve("pom.xml"))).replaceAll("(?s)<!--.*?-->", "");
        Matcher parent = Pattern.compile("(?s)<parent>(.*?)</parent>").matcher(pom);
        String parentPart = parent.find() ? parent.group(1) : "";
        String head = pom.replaceFirst("(?s)<parent>.*?</parent>", "")
                .split("<properties>|<dependencyManagement>|<dependencies>|<build>|<modules>|<profiles>")[0];
        String artifactId = first(head, "artifactId").orElse("?");
        String version = first(head, "version").or(() -> first(parentPart, "version")).orElse("?");
        return new String[] {artifactId, version};
    }

    private static Optional<String> first(String xml, String element) {
        Matcher matcher = Pattern.compile("<" + element + ">\\s*([^<]+?)\\s*</" + element + ">").matcher(xml);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    // ---------------------------------------------------------------- the checks

    @Test
    void everyFencedBlockNamesItsLanguage() {
        List<String> untagged = allBlocks().stream().filter(block -> block.language().isEmpty())
                .map(block -> block.where() + " (\"" + block.firstLine() + "\")").toList();
        assertThat(untagged)
                .describedAs("fenced blocks without a language: name the code's language (java, xml, sql, sh), or tag"
                        + " output, error messages, diagrams and formats `text`")
                .isEmpty();
    }

    @Test
    void everyCodeBlockIsCopiedFromAFileTheBuildCompilesOrRuns() {
        List<Block> blocks = allBlocks();
        Map<String, List<String>> files = sources();
        List<String> problems = new ArrayList<>();
        Map<String, int[]> counts = new TreeMap<>();
        for (Block block : blocks) {
            int[] count = counts.computeIfAbsent(block.doc(), doc -> new int[4]);
            switch (block.language()) {
                case "text" -> count[2]++;
                case "sh" -> count[1]++;
                case "" -> { } // reported by everyFencedBlockNamesItsLanguage
                default -> {
                    if (GENERATED.containsKey(block.doc() + "|" + block.firstLine())) {
                        count[3]++;
                    } else {
                        count[0]++;
                        checkCode(block, files).ifPresent(problems::add);
                        copiedFrom(block, files).ifPresent(file -> System.out.printf("  %s (%s) <- %s%n", block.where(),
                                block.language(), file));
                    }
                }
            }
        }
        counts.forEach((doc, count) -> System.out.printf("%s: %d code blocks copied, %d sh, %d text, %d generated%n",
                doc, count[0], count[1], count[2], count[3]));

        assertThat(problems).describedAs(String.join("\n", problems)).isEmpty();
        assertThat(counts.keySet()).describedAs("the documents read")
                .contains("README.md", "docs/concepts.md", "docs/codegen.md", "docs/downstream.md", "bench/README.md");
        assertThat(counts.get("docs/downstream.md")[0]).describedAs("code blocks checked in docs/downstream.md")
                .isGreaterThanOrEqualTo(10);
        assertThat(counts.values().stream().mapToInt(count -> count[0]).sum()).describedAs("code blocks checked")
                .isGreaterThanOrEqualTo(25);
    }

    @Test
    void everyShellCommandRunsWhatTheRepositoryRuns() {
        Map<String, List<String>> files = sources();
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (Block block : allBlocks()) {
            if (block.language().equals("sh")) {
                for (String command : commands(block)) {
                    commands++;
                    checkCommand(block, command, files).ifPresent(problems::add);
                }
            }
        }
        assertThat(problems).describedAs(String.join("\n", problems)).isEmpty();
        assertThat(commands).isGreaterThanOrEqualTo(8);
    }

    @Test
    void theReadmesTestCommandIsWhatCiRuns() {
        List<String> readme = read(ROOT.resolve("README.md"));
        Block runAllTests = blocks("README.md", readme).stream()
                .filter(block -> block.line() >= 3 && readme.get(block.line() - 3).strip().equals("Run all tests:"))
                .findFirst().orElseThrow(() -> new AssertionError("README.md has no sh block after the line \"Run all tests:\""));
        assertThat(commands(runAllTests))
                .describedAs("README.md's \"Run all tests\" command (%s) must be what .ci/run runs first, without -B -ntp",
                        runAllTests.where())
                .containsExactly(ciCommands().get(0));
    }

    @Test
    void generatedCodeIsCheckedByTheTestThatGeneratesIt() {
        List<Block> blocks = allBlocks();
        GENERATED.forEach((key, test) -> {
            String doc = key.substring(0, key.indexOf('|'));
            String firstLine = key.substring(key.indexOf('|') + 1);
            assertThat(blocks).describedAs("%s has a block starting %s (listed as generated code)", doc, firstLine)
                    .anyMatch(block -> block.doc().equals(doc) && block.firstLine().equals(firstLine));
            Path source = ROOT.resolve(test);
            assertThat(source).describedAs("the test that checks the generated block of %s", doc).isRegularFile();
            assertThat(String.join("\n", read(source))).describedAs("%s reads %s", test, doc).contains(doc);
        });
    }

    // ---------------------------------------------------------------- the check checks

    @Test
    void theCheckNoticesAnEditedAndAReorderedBlock() {
        Map<String, List<String>> files = sources();
        Block readme = allBlocks().stream().filter(block -> block.doc().equals("README.md") && block.language().equals("java"))
                .findFirst().orElseThrow();
        assertThat(checkCode(readme, files)).describedAs("the README's example as it is").isEmpty();

        List<String> edited = readme.lines().stream().map(line -> line.replace("\"duplicate\"", "\"a duplicate\"")).toList();
        assertThat(edited).isNotEqualTo(readme.lines());
        assertThat(checkCode(new Block("README.md", 1, "java", edited), files)).get().asString()
                .contains("README.md line 1: the java block is not copied");

        Block inOrder = new Block("docs/downstream.md", 1, "sql", List.of("select sentinel.enable_tenant_rls('pipelines');",
                "...", "select sentinel.audit_table('pipelines');"));
        assertThat(checkCode(inOrder, files)).isEmpty();
        Block reordered = new Block("docs/downstream.md", 2, "sql", List.of("select sentinel.audit_table('pipelines');",
                "...", "select sentinel.enable_tenant_rls('pipelines');"));
        assertThat(checkCode(reordered, files)).get().asString()
                .contains("no one file has them all, in this order");

        Block fromElsewhere = new Block("docs/downstream.md", 3, "java", List.of("static final SentinelDatabase db = SentinelDatabase.create();"));
        assertThat(checkCode(fromElsewhere, files)).describedAs("core's tests have this line, the downstream example does not")
                .get().asString().contains("not copied from any file of examples/downstream-service/");
    }

    @Test
    void theCheckNoticesWrongCommandsAndUntaggedBlocks() {
        Map<String, List<String>> files = sources();
        Block block = new Block("docs/example.md", 1, "sh", List.of());
        assertThat(checkCommand(block, "./mvnw verify", files)).isEmpty();
        assertThat(checkCommand(block, "./mvnw -pl core -am package -DskipTests -Dsentinel.updateReference", files))
                .describedAs("SchemaReferenceTest.REGENERATE without its -q").get().asString()
                .contains("SchemaReferenceTest.java names; write exactly that one: ./mvnw -q -pl core -am package -DskipTests"
                        + " -Dsentinel.updateReference");
        assertThat(checkCommand(block, "./mvnw -pl examples/quickstrat -am verify", files)).get().asString()
                .contains("-pl examples/quickstrat is not a module of the reactor");
        assertThat(checkCommand(block, "./mvnw -q -Dquickstart -pl examples/quickstart -am verify", files)).isEmpty();
        assertThat(checkCommand(block, "./mvnw -Dsentinel.codegen.databse=jdbc generate-sources", files)).get().asString()
                .contains("-Dsentinel.codegen.databse is read by no pom");
        assertThat(checkCommand(block, "./mvnw instal", files)).get().asString().contains("instal is not a lifecycle phase");
        assertThat(checkCommand(block, "java -cp schema/target/sentinel-schema-0.1.0-SNAPSHOT.jar dev.sentinel.schema.DatabaseBootstrap",
                files)).isEmpty();
        assertThat(checkCommand(block, "java -cp schema/target/sentinel-core-0.1.0-SNAPSHOT.jar dev.sentinel.schema.DatabaseBootstrap",
                files)).get().asString().contains("schema builds schema/target/sentinel-schema-");
        assertThat(checkCommand(block, "java -cp schema/target/sentinel-schema-0.1.0-SNAPSHOT.jar dev.sentinel.schema.Roles",
                files)).get().asString().contains("is not a class with a main method");

        assertThat(commands(new Block("docs/example.md", 1, "sh", List.of("./mvnw generate-sources \\", "  -Dsentinel.codegen.database=jdbc",
                "java -cp a.jar Main | psql -U postgres   # a comment"))))
                .containsExactly("./mvnw generate-sources -Dsentinel.codegen.database=jdbc", "java -cp a.jar Main", "psql -U postgres");
        assertThat(blocks("docs/example.md", List.of("text", "```", "output", "```", "", "~~~~sql", "select 1;", "~~~~")))
                .extracting(Block::line, Block::language)
                .containsExactly(tuple(2, ""), tuple(6, "sql"));
    }

    // ---------------------------------------------------------------- files

    private static List<String> read(Path file) {
        try {
            return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\\R", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
