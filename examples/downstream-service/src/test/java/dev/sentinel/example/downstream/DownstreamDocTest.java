package dev.sentinel.example.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code block of docs/downstream.md is copied from this module's files (the pom, the
 * migrations, the main and test sources), which the build compiles and runs. Lines are compared
 * without their indentation, blank lines are ignored, and a line {@code ...} (or {@code // ...},
 * {@code -- ...}, {@code <!-- ... -->}) separates parts that must appear in that order in the same
 * file. Shell commands ({@code sh} blocks) are not copied from a file and are not checked.
 */
class DownstreamDocTest {

    private static final Path DOC = Path.of("../../docs/downstream.md");
    private static final Set<String> ELISIONS = Set.of("...", "// ...", "-- ...", "<!-- ... -->");

    /** One fenced block: its language and its lines. */
    private record Block(String language, int line, List<String> lines) {
    }

    private static List<Block> blocks(List<String> doc) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < doc.size(); i++) {
            if (doc.get(i).startsWith("```") && doc.get(i).length() > 3) {
                int start = i;
                List<String> lines = new ArrayList<>();
                while (!doc.get(++i).equals("```")) {
                    lines.add(doc.get(i));
                }
                blocks.add(new Block(doc.get(start).substring(3).strip(), start + 1, lines));
            }
        }
        return blocks;
    }

    private static List<String> normalized(List<String> lines) {
        return lines.stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** The module's own files, by path, as normalized lines. */
    private static Map<Path, List<String>> sources() throws IOException {
        Map<Path, List<String>> sources = new TreeMap<>();
        sources.put(Path.of("pom.xml"), normalized(Files.readAllLines(Path.of("pom.xml"), StandardCharsets.UTF_8)));
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            files.filter(Files::isRegularFile).forEach(file -> {
                try {
                    sources.put(file, normalized(Files.readAllLines(file, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return sources;
    }

    /** The parts of a block between elision lines, each normalized. */
    private static List<List<String>> parts(Block block) {
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
    private static boolean containsInOrder(List<String> file, List<List<String>> parts) {
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

    @Test
    void everyCodeBlockIsCopiedFromThisModulesFiles() throws IOException {
        List<Block> blocks = blocks(Files.readAllLines(DOC, StandardCharsets.UTF_8));
        Map<Path, List<String>> sources = sources();

        List<Block> checked = blocks.stream().filter(block -> !block.language().equals("sh")).toList();
        assertThat(checked).describedAs("code blocks to check in %s", DOC).hasSizeGreaterThanOrEqualTo(10);
        for (Block block : checked) {
            List<List<String>> parts = parts(block);
            boolean found = sources.values().stream().anyMatch(file -> containsInOrder(file, parts));
            assertThat(found)
                    .describedAs("the %s block at line %d of docs/downstream.md is not copied from any file of this module"
                            + " (pom.xml, src/**); update the doc or the code so that they agree:%n%s",
                            block.language(), block.line(), String.join("\n", block.lines()))
                    .isTrue();
        }
    }

    @Test
    void theCheckNoticesABlockThatIsNotInTheCode() throws IOException {
        Block edited = new Block("java", 0, List.of("PipelineRepository board = new PipelineRepository(tx);",
                "board.move(item.getId(), \"qualified\", true);"));
        assertThat(sources().values().stream().anyMatch(file -> containsInOrder(file, parts(edited)))).isFalse();
        Block reordered = new Block("sql", 0, List.of("select sentinel.audit_table('pipelines');", "...",
                "select sentinel.enable_tenant_rls('pipelines');"));
        assertThat(sources().values().stream().anyMatch(file -> containsInOrder(file, parts(reordered)))).isFalse();
    }
}
