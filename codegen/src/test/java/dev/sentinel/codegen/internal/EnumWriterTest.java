package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.codegen.internal.ClosedSets.ClosedSet;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated enum compiles (with javac, doclint on) and round-trips its literals, also for
 * literals and comments full of characters that Java source and Javadoc treat specially.
 */
class EnumWriterTest {

    @TempDir
    Path root;

    @Test
    void hostileLiteralsAndCommentsCompileAndRoundTrip() throws Exception {
        List<String> literals = List.of("it's", "back\\slash", "quote\"d", "*/ end", "\\u000a escape", "tab\there", "ünï");
        ClosedSet set = new ClosedSet("public", "notes", "status", "notes_status_check",
                "CHECK ((status = ANY (ARRAY[...]))) */ {@code x} <b>", "A comment with */ and {@link Foo} and \\u0022.",
                literals, "NotesStatus", ClosedSets.constantNames(literals).orElseThrow());
        Path source = root.resolve("com/example/db/enums/NotesStatus.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, EnumWriter.source("com.example.db", set), StandardCharsets.UTF_8);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int exit = javac.run(null, null, null, "-Xdoclint:all", "-encoding", "UTF-8", "-d", root.toString(),
                source.toString());

        assertThat(exit).describedAs("javac exit code for:\n%s", Files.readString(source)).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()})) {
            Class<?> type = loader.loadClass("com.example.db.enums.NotesStatus");
            Method literal = type.getMethod("literal");
            Method ofLiteral = type.getMethod("ofLiteral", String.class);
            Object[] constants = type.getEnumConstants();
            assertThat(constants).hasSize(literals.size());
            for (int i = 0; i < constants.length; i++) {
                assertThat(literal.invoke(constants[i])).isEqualTo(literals.get(i));
                assertThat(ofLiteral.invoke(null, literals.get(i))).isSameAs(constants[i]);
            }
        }
    }

    @Test
    void converterExpressionNamesTheEnumsConversions() {
        ClosedSet set = new ClosedSet("public", "notes", "status", "c", "d", null, List.of("a"), "NotesStatus",
                List.of("A"));
        assertThat(EnumWriter.converterExpression("com.example.db", set)).isEqualTo(
                "org.jooq.Converter.ofNullable(String.class, com.example.db.enums.NotesStatus.class,"
                        + " com.example.db.enums.NotesStatus::ofLiteral, com.example.db.enums.NotesStatus::literal)");
    }
}
