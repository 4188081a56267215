package dev.sentinel.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.TenantMismatchException;
import dev.sentinel.core.UniqueViolationException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;

/**
 * Every SentinelException subclass that sentinel-core ships, found by scanning its classes (so a new
 * one is covered without editing this test), is answered with a problem detail that carries a
 * status, a type and a title, and none of the exception's message: the message names tables,
 * constraints, SQL states and values.
 */
class ProblemDetailsTest {

    private static final String INTERNAL = "relation sentinel.audit_log constraint widgets_name_check SQLSTATE 23514 value 'hunter2'";

    @Test
    void everySentinelExceptionMapsToAProblemDetailWithoutItsMessage() throws Exception {
        List<Class<? extends SentinelException>> types = sentinelExceptions();
        assertThat(types).describedAs("the scan found the exceptions").contains(SentinelException.class,
                InvalidInputException.class, UniqueViolationException.class).hasSizeGreaterThan(15);

        for (Class<? extends SentinelException> type : types) {
            SentinelException exception = instantiate(type);
            ProblemDetail problem = SentinelProblemDetails.problemOf(exception);

            assertThat(problem.getStatus()).describedAs(type.getName()).isBetween(400, 599);
            assertThat(problem.getType().toString()).describedAs(type.getName()).startsWith("urn:sentinel:problem:");
            assertThat(problem.getTitle()).describedAs(type.getName()).isNotBlank();
            assertThat(problem.getDetail()).describedAs(type.getName()).isNotBlank()
                    .doesNotContain("sentinel.audit_log").doesNotContain("widgets_name_check").doesNotContain("23514")
                    .doesNotContain("hunter2");
            assertThat(String.valueOf(problem.getProperties())).doesNotContain("hunter2");
        }
    }

    @Test
    void clientErrorsAreFourHundredsAndTheRestFiveHundreds() {
        assertThat(SentinelProblemDetails.problemOf(new InvalidInputException(INTERNAL)).getStatus()).isEqualTo(400);
        assertThat(SentinelProblemDetails.problemOf(new MissingScopeException(INTERNAL)).getStatus()).isEqualTo(400);
        assertThat(SentinelProblemDetails.problemOf(new NotFoundException(INTERNAL)).getStatus()).isEqualTo(404);
        assertThat(SentinelProblemDetails.problemOf(instantiate(TenantMismatchException.class)).getStatus())
                .describedAs("another tenant's record is not found, not forbidden").isEqualTo(404);
        assertThat(SentinelProblemDetails.problemOf(instantiate(UniqueViolationException.class)).getStatus()).isEqualTo(409);
        assertThat(SentinelProblemDetails.problemOf(instantiate(ConstraintViolationException.class)).getStatus()).isEqualTo(422);
        assertThat(SentinelProblemDetails.problemOf(new SentinelException(INTERNAL)).getStatus()).isEqualTo(500);
    }

    /** Builds an exception through its first public constructor, with the internal message and nulls. */
    private static SentinelException instantiate(Class<? extends SentinelException> type) {
        for (Constructor<?> constructor : type.getConstructors()) {
            Class<?>[] parameters = constructor.getParameterTypes();
            Object[] arguments = new Object[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                arguments[i] = parameters[i] == String.class ? INTERNAL : defaultOf(parameters[i]);
            }
            try {
                return (SentinelException) constructor.newInstance(arguments);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // try the next constructor
            }
        }
        throw new AssertionError("no public constructor of " + type.getName() + " could be called");
    }

    /** The zero of a primitive parameter, null for a reference. */
    private static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends SentinelException>> sentinelExceptions() throws IOException, URISyntaxException {
        Path location = Path.of(SentinelException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.map(file -> location.relativize(file).toString().replace('\\', '/')).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                    names.add(entries.nextElement().getName());
                }
            }
        }
        List<Class<? extends SentinelException>> types = new ArrayList<>();
        for (String name : names) {
            if (!name.endsWith(".class") || name.contains("$") || !name.startsWith("dev/sentinel/core/")) {
                continue;
            }
            try {
                Class<?> type = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                        ProblemDetailsTest.class.getClassLoader());
                if (SentinelException.class.isAssignableFrom(type) && Modifier.isPublic(type.getModifiers())) {
                    types.add((Class<? extends SentinelException>) type);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // generated or optional classes that cannot load here are not exceptions
            }
        }
        return types;
    }
}
