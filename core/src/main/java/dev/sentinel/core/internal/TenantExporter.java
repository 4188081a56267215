package dev.sentinel.core.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Isolation;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.audit.AuditCheckpoint;
import dev.sentinel.core.db.SentinelSchema;
import dev.sentinel.core.export.ExportResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Table;
import org.jooq.TableOptions.TableType;
import org.jooq.impl.DSL;

/**
 * Writes a tenant's archive (see {@link Sentinel#exportTenant} for what and why). Layout:
 *
 * <pre>
 * manifest.txt          format line, tenant, exported-at, checkpoint, one "file sha256 rows path" line per file
 * manifest.sig          "key-id base64-signature" over manifest.txt's bytes
 * tables/s.t.jsonl      one row_to_json line per row, by primary key
 * audit/trail.txt       "position canonical-text" per sealed row up to the checkpoint, in chain order
 * audit/uncovered.txt   canonical texts of the rows the checkpoint does not cover yet (written later)
 * audit/checkpoints.txt the tenant's signed checkpoints, one per line
 * </pre>
 *
 * <p>Every file is streamed from a cursor and hashed as it is written; no table is held in memory.
 */
public final class TenantExporter {

    /** The first line of every manifest. */
    public static final String FORMAT = "sentinel-tenant-export/1";
    /** Who the export's transactions run as. */
    public static final Actor ACTOR = Actor.service("sentinel-export");
    private static final Set<String> AUDIT_TABLES = Set.of("audit_log", "audit_chain", "audit_checkpoint");

    private final Sentinel sentinel;
    private final ChainSealer chain;
    private final List<Table<?>> tables;

    /**
     * Creates an exporter.
     *
     * @param sentinel the service's Sentinel
     * @param chain its chain, with a signing key
     * @param declared the modules' and the service's tenant tables
     */
    public TenantExporter(Sentinel sentinel, ChainSealer chain, List<Table<?>> declared) {
        this.sentinel = sentinel;
        this.chain = chain;
        this.tables = new ArrayList<>(kernelTables());
        this.tables.addAll(declared);
    }

    /**
     * The kernel's tenant tables, from the generated classes, except the audit trail's, which the
     * archive holds in its own form.
     *
     * @return the tables
     */
    static List<Table<?>> kernelTables() {
        return SentinelSchema.SENTINEL.getTables().stream()
                .filter(t -> t.getOptions().type() == TableType.TABLE && t.getPrimaryKey() != null)
                .filter(t -> t.field("tenant_id") != null || t.getName().equals("tenants"))
                .filter(t -> !AUDIT_TABLES.contains(t.getName()))
                .sorted(Comparator.comparing(Table::getName))
                .collect(Collectors.toList());
    }

    /**
     * Checks declared tenant tables at build time.
     *
     * @param tables the tables
     * @throws ConfigurationException naming a table that is not a tenant table with a primary key
     */
    public static void checkTables(List<Table<?>> tables) {
        Set<String> seen = new java.util.HashSet<>();
        for (Table<?> table : tables) {
            if (table == null) {
                throw new ConfigurationException("Sentinel: tenantTables: a table is null");
            }
            String name = qualified(table);
            if (table.getOptions().type() != TableType.TABLE || table.field("tenant_id") == null || table.getPrimaryKey() == null) {
                throw new ConfigurationException("Sentinel: tenantTables: " + name + " is not a tenant table (a table with a"
                        + " tenant_id column and a primary key); declare only those, from the generated jOOQ classes");
            }
            if (table.getSchema() == null || table.getSchema().getName().equals("sentinel") || !seen.add(name)) {
                throw new ConfigurationException("Sentinel: tenantTables: " + name + " is declared twice, has no schema, or is"
                        + " one of the kernel's, which every export includes already");
            }
        }
    }

    private static String qualified(Table<?> table) {
        return (table.getSchema() == null ? "" : table.getSchema().getName() + ".") + table.getName();
    }

    /**
     * Writes the archive.
     *
     * @param tenantId the tenant
     * @param directory the archive's directory, which must not exist
     * @return what was written
     */
    public ExportResult export(UUID tenantId, Path directory) {
        if (tenantId == null || directory == null) {
            throw new InvalidInputException("exportTenant: tenantId and directory must not be null");
        }
        Path target = directory.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("exportTenant: " + target + " exists already; name a directory that does not exist"
                    + " (the archive is written next to it and renamed into place)");
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InvalidInputException("exportTenant: the parent of " + target + " is not a directory; create it first");
        }
        boolean exists = sentinel.tenant(tenantId, ACTOR).inTransaction(tx -> tx.dsl()
                .fetchExists(DSL.selectOne().from(DSL.table(DSL.name("sentinel", "tenants"))).where(DSL.field(DSL.name("id")).eq(tenantId))));
        if (!exists) {
            throw new NotFoundException("exportTenant: no tenant " + tenantId);
        }
        AuditCheckpoint checkpoint = chain.checkpoint(tenantId);
        Path temporary;
        try {
            temporary = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        } catch (IOException e) {
            throw new UncheckedIOException("exportTenant: cannot create a directory in " + parent, e);
        }
        try {
            Map<String, String[]> files = new LinkedHashMap<>();
            sentinel.tenant(tenantId, ACTOR)
                    .with(TxOptions.defaults().withIsolation(Isolation.REPEATABLE_READ).withReadOnly())
                    .useTransaction(tx -> writeSnapshot(tx.dsl(), tenantId, checkpoint, temporary, files));
            String manifest = manifest(tenantId, checkpoint, files);
            Files.writeString(temporary.resolve("manifest.txt"), manifest, StandardCharsets.UTF_8);
            Files.writeString(temporary.resolve("manifest.sig"), chain.signingKey().id() + " "
                    + chain.signingKey().sign(manifest.getBytes(StandardCharsets.UTF_8)) + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            Map<String, Long> rows = new LinkedHashMap<>();
            files.forEach((path, entry) -> rows.put(path, Long.parseLong(entry[1])));
            return new ExportResult(tenantId, target, Map.copyOf(rows), checkpoint);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new UncheckedIOException("exportTenant: writing the archive failed; nothing was left behind", e);
        } catch (RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
    }

    private void writeSnapshot(DSLContext dsl, UUID tenantId, AuditCheckpoint checkpoint, Path root, Map<String, String[]> files)
            throws IOException {
        for (Table<?> table : tables) {
            Field<?> tenantColumn = table.getName().equals("tenants") && table.getSchema().getName().equals("sentinel")
                    ? table.field("id") : table.field("tenant_id");
            String rendered = dsl.render(DSL.table(DSL.name(table.getSchema().getName(), table.getName())));
            String order = table.getPrimaryKey().getFields().stream().map(f -> dsl.render(DSL.name("t", f.getName())))
                    .collect(Collectors.joining(", "));
            // PostgreSQL writes the JSON: every type in its own text form, whatever the driver or JVM.
            String sql = "select row_to_json(t)::text from " + rendered + " t where " + dsl.render(DSL.name("t", tenantColumn.getName()))
                    + " = {0} order by " + order;
            String path = "tables/" + qualified(table) + ".jsonl";
            try (FileOut out = new FileOut(root, path);
                    Cursor<Record1<String>> rows = dsl.resultQuery(sql, DSL.val(tenantId)).coerce(DSL.field("j", String.class))
                            .fetchSize(ChainWalk.FETCH_SIZE).fetchLazy()) {
                for (Record1<String> row : rows) {
                    out.line(row.value1());
                }
                files.put(path, out.finish());
            }
        }
        AuditCheckpoint start = ChainSealer.retentionStart(ChainSealer.checkpoints(dsl, tenantId), checkpoint.position());
        try (FileOut out = new FileOut(root, "audit/trail.txt")) {
            ChainWalk.walk(dsl, tenantId, start == null ? 0 : start.position(), checkpoint.position(), link -> {
                try {
                    out.line(link.position() + " " + link.canonical());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            files.put("audit/trail.txt", out.finish());
        }
        try (FileOut out = new FileOut(root, "audit/uncovered.txt");
                Cursor<Record1<String>> rows = dsl.resultQuery("""
                        select sentinel.audit_canonical(row(a.*)::sentinel.audit_log)
                          from sentinel.audit_log a
                         where a.tenant_id = {0}
                           and not exists (select 1 from sentinel.audit_chain c
                                            where c.tenant_id = a.tenant_id and c.audit_id = a.id and c.position <= {1})
                         order by a.tx, a.seq""", DSL.val(tenantId), DSL.val(checkpoint.position()))
                        .coerce(DSL.field("c", String.class)).fetchSize(ChainWalk.FETCH_SIZE).fetchLazy()) {
            for (Record1<String> row : rows) {
                out.line(row.value1());
            }
            files.put("audit/uncovered.txt", out.finish());
        }
        try (FileOut out = new FileOut(root, "audit/checkpoints.txt")) {
            for (AuditCheckpoint each : ChainSealer.checkpoints(dsl, tenantId)) {
                out.line(each.toString());
            }
            files.put("audit/checkpoints.txt", out.finish());
        }
    }

    private static String manifest(UUID tenantId, AuditCheckpoint checkpoint, Map<String, String[]> files) {
        StringBuilder text = new StringBuilder(FORMAT).append('\n')
                .append("tenant ").append(tenantId).append('\n')
                .append("exported-at ").append(checkpoint.signedAt()).append('\n')
                .append("checkpoint ").append(checkpoint.position()).append(' ').append(checkpoint.digest()).append('\n');
        files.forEach((path, entry) -> text.append("file ").append(entry[0]).append(' ').append(entry[1]).append(' ')
                .append(path).append('\n'));
        return text.toString();
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // Best effort: the original error matters more.
        }
    }

    /** One archive file: lines written through a SHA-256 digest and counted. */
    private static final class FileOut implements AutoCloseable {
        private final MessageDigest sha;
        private final Writer writer;
        private long lines;
        private boolean closed;

        FileOut(Path root, String path) throws IOException {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available in this JVM", e);
            }
            writer = new BufferedWriter(new OutputStreamWriter(new DigestOutputStream(Files.newOutputStream(file), sha),
                    StandardCharsets.UTF_8), 1 << 16);
        }

        void line(String text) throws IOException {
            writer.write(text);
            writer.write('\n');
            lines++;
        }

        /** Closes the file; returns {sha256, rows}. */
        String[] finish() throws IOException {
            close();
            return new String[] {HexFormat.of().formatHex(sha.digest()), Long.toString(lines)};
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                writer.close();
            }
        }
    }
}
