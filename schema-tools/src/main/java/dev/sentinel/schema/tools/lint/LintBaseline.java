package dev.sentinel.schema.tools.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The findings a team has accepted for now, kept in a file checked in with its migrations, so that
 * an existing schema can adopt the linter step by step: the build fails only on findings that are
 * not in the file, and says which accepted ones no longer occur.
 *
 * <p>The file holds one finding per line, as {@link #key(Finding)} writes it
 * ({@code [rls-not-enabled] public.projects (row level security)}); blank lines and lines starting
 * with {@code #} are comments. {@link #write} writes it sorted, so that it diffs well. Immutable and
 * thread-safe.
 */
public final class LintBaseline {

    private final Set<String> accepted;

    private LintBaseline(Set<String> accepted) {
        this.accepted = Set.copyOf(accepted);
    }

    /**
     * Reads a baseline file; a file that does not exist accepts nothing.
     *
     * @param file the file
     * @return the baseline
     * @throws IOException if the file exists but cannot be read
     */
    public static LintBaseline read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Set<String> accepted = new LinkedHashSet<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    accepted.add(entry);
                }
            }
        }
        return new LintBaseline(accepted);
    }

    /**
     * A baseline that accepts exactly these findings.
     *
     * @param findings the findings to accept
     * @return the baseline
     */
    public static LintBaseline of(Collection<Finding> findings) {
        Set<String> accepted = new LinkedHashSet<>();
        findings.forEach(finding -> accepted.add(key(finding)));
        return new LintBaseline(accepted);
    }

    /**
     * How a finding is written in a baseline: its rule, table and object, without the message (whose
     * words may change between versions).
     *
     * @param finding a finding
     * @return the line, such as {@code [rls-not-enabled] public.projects (row level security)}
     */
    public static String key(Finding finding) {
        return "[" + finding.rule().id() + "] "
                + (finding.table() == null ? finding.object() : finding.table() + " (" + finding.object() + ")");
    }

    /**
     * Writes this baseline, sorted, with a header that says what the file is.
     *
     * @param file the file; its parent directories are created
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Schema lint findings accepted for now (docs/linter.md, \"Adopting the linter\"). The build fails");
        lines.add("# only on findings not listed here. Remove a line when its finding is fixed; the build says which.");
        lines.addAll(new TreeSet<>(accepted));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /**
     * Splits findings into those this baseline accepts and new ones, and lists the accepted entries
     * that no longer occur.
     *
     * @param findings the findings of a lint run
     * @return the comparison
     */
    public Comparison compare(List<Finding> findings) {
        List<Finding> acceptedFindings = new ArrayList<>();
        List<Finding> newFindings = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Finding finding : findings) {
            String key = key(finding);
            seen.add(key);
            (accepted.contains(key) ? acceptedFindings : newFindings).add(finding);
        }
        List<String> fixed = accepted.stream().filter(key -> !seen.contains(key)).sorted().toList();
        return new Comparison(acceptedFindings, newFindings, fixed);
    }

    /**
     * The accepted entries.
     *
     * @return the lines, unordered
     */
    public Set<String> entries() {
        return accepted;
    }

    /**
     * A lint run against a baseline.
     *
     * @param accepted findings the baseline lists
     * @param fresh findings it does not list: these fail the build
     * @param fixed baseline lines whose finding no longer occurs, sorted: remove them from the file
     */
    public record Comparison(List<Finding> accepted, List<Finding> fresh, List<String> fixed) {

        /** Copies the lists. */
        public Comparison {
            accepted = List.copyOf(accepted);
            fresh = List.copyOf(fresh);
            fixed = List.copyOf(fixed);
        }
    }
}
