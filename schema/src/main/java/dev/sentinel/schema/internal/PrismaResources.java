package dev.sentinel.schema.internal;

import java.io.Reader;
import java.io.StringReader;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Presents a {@link PrismaHistory} to Flyway as versioned SQL migrations, through Flyway's public
 * {@link ResourceProvider} API: each folder becomes a resource named
 * {@code V<version>__<name>.sql} whose relative path is {@code <folder>/migration.sql}. Flyway's
 * own SQL resolver then parses, checksums and runs it like any other SQL migration (one transaction
 * per folder, unless a statement cannot run in one). No repeatable migrations, callbacks, per-script
 * configuration or Java migrations. Immutable and thread-safe.
 */
public final class PrismaResources implements ResourceProvider, ClassProvider<JavaMigration> {

    private final List<LoadableResource> resources;

    /**
     * Wraps a history.
     *
     * @param history the Prisma history
     */
    public PrismaResources(PrismaHistory history) {
        this.resources = history.folders().stream().<LoadableResource>map(Script::new).toList();
    }

    @Override
    public LoadableResource getResource(String name) {
        // Asked for per-script configuration (<script>.conf) and callbacks: a Prisma history has none.
        return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return resources.stream()
                .filter(r -> r.getFilename().startsWith(prefix)
                        && Arrays.stream(suffixes).anyMatch(r.getFilename()::endsWith))
                .toList();
    }

    @Override
    public Collection<Class<? extends JavaMigration>> getClasses() {
        return List.of();
    }

    /** One folder's {@code migration.sql}. */
    private static final class Script extends LoadableResource {
        private final PrismaHistory.Folder folder;

        Script(PrismaHistory.Folder folder) {
            this.folder = folder;
        }

        @Override
        public Reader read() {
            return new StringReader(folder.sql());
        }

        @Override
        public String getAbsolutePath() {
            return folder.script();
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return folder.script();
        }

        @Override
        public String getFilename() {
            return folder.flywayFileName();
        }

        @Override
        public String getRelativePath() {
            return folder.script();
        }
    }
}
