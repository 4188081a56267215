package dev.sentinel.core.lifecycle;

import static dev.sentinel.core.testservice.db.Tables.GADGETS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditCheckpoint;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.AuditPublicKey;
import dev.sentinel.core.audit.AuditSigningKey;
import dev.sentinel.core.export.ArchiveTool;
import dev.sentinel.core.export.ArchiveVerification;
import dev.sentinel.core.export.ArchiveVerifier;
import dev.sentinel.core.export.ExportResult;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.GadgetsRecord;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant archive round trip: every row of the tenant in the archive and accounted for by the
 * manifest, none of another tenant's, and the audit trail verified from the archive alone with the
 * public key; an edited audit row, an edited data file, a forged checkpoint and a manifest signed
 * by another key each detected.
 */
class TenantExportTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    static final byte[] AUDIT_SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final AuditKey KEY = AuditKey.of("k1", AUDIT_SECRET);
    static final AuditSigningKey SIGNING = AuditSigningKey.generate("sign-1");
    private static final Actor DAVE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000da7e"));

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID other;
    private static Path archive;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource())
                .auditKey(KEY).auditSigningKey(SIGNING).tenantTables(WIDGETS, GADGETS).build();
        tenant = Tenants.create(sentinel);
        other = Tenants.create(sentinel);
        for (UUID each : List.of(tenant, other)) {
            for (int i = 0; i < 4; i++) {
                int n = i;
                sentinel.tenant(each, DAVE).useTransaction(tx -> {
                    WidgetsRecord widget = tx.table(WIDGETS).insert(new WidgetsRecord().setName("w" + n));
                    tx.table(WIDGETS).update(widget.setColor("blue \"quoted\"\nnew line ü"));
                    tx.table(GADGETS).insert(new GadgetsRecord().setLabel("g" + n));
                });
            }
        }
        archive = sentinel.exportTenant(tenant, temp.resolve("archive")).directory();
        // Written after the checkpoint: in the database, not covered by the archive.
        sentinel.tenant(tenant, DAVE).useTransaction(tx -> tx.table(WIDGETS).insert(new WidgetsRecord().setName("late")));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void everyRowOfTheTenantIsInTheArchiveAndTheManifestAccountsForIt() throws IOException {
        Map<String, Long> manifest = manifestRows(archive);
        for (Table<?> table : List.<Table<?>>of(WIDGETS, GADGETS)) {
            String file = "tables/public." + table.getName() + ".jsonl";
            assertThat(manifest.get(file)).describedAs(file).isEqualTo(4L);
            assertThat(Files.readAllLines(archive.resolve(file))).hasSize(4)
                    .allSatisfy(line -> assertThat(line).contains("\"tenant_id\":\"" + tenant + "\""));
        }
        assertThat(manifest.get("tables/sentinel.tenants.jsonl")).isEqualTo(1L);
        assertThat(manifest).containsKeys("tables/sentinel.tenant_members.jsonl", "tables/sentinel.jobs.jsonl",
                "tables/sentinel.api_keys.jsonl", "audit/trail.txt", "audit/checkpoints.txt", "audit/uncovered.txt");
        long auditRows = sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.dsl().fetchCount(
                DSL.table("sentinel.audit_log"), DSL.field("tenant_id").eq(tenant)));
        assertThat(manifest.get("audit/trail.txt") + manifest.get("audit/uncovered.txt"))
                .describedAs("every audit row of the tenant but the one written after the export")
                .isEqualTo(auditRows - 1);
        assertThat(manifest.get("audit/trail.txt")).describedAs("the creation row and 4 x (insert, update) of widgets;"
                + " gadgets are unaudited").isEqualTo(9L);
        String widget = Files.readAllLines(archive.resolve("tables/public.widgets.jsonl")).getFirst();
        assertThat(widget).describedAs("JSON as PostgreSQL writes it, escapes included")
                .contains("\"color\":\"blue \\\"quoted\\\"\\nnew line ü\"");
    }

    @Test
    void noRowOfAnotherTenantIsInTheArchive() throws IOException {
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).describedAs(file.toString()).doesNotContain(other.toString());
            }
        }
    }

    @Test
    void theArchiveVerifiesWithThePublicKeyAlone() {
        ArchiveVerification verification = ArchiveVerifier.verify(archive, List.of(AuditPublicKey.parse(SIGNING.publicKey().toString())));
        assertThat(verification.problems()).isEmpty();
        assertThat(verification.tenantId()).isEqualTo(tenant);
        assertThat(verification.auditRowsVerified()).isEqualTo(9);
        assertThat(verification.checkpointPosition()).isEqualTo(9);
    }

    @Test
    void anotherKeyDoesNotVerifyTheArchive() {
        AuditPublicKey stranger = AuditSigningKey.generate("sign-1").publicKey();
        ArchiveVerification verification = ArchiveVerifier.verify(archive, List.of(stranger));
        assertThat(verification.intact()).isFalse();
        assertThat(verification.problems()).anyMatch(p -> p.startsWith("manifest.sig"))
                .anyMatch(p -> p.contains("checkpoint at position 9 does not verify"));
    }

    @Test
    void anEditedAuditRowIsDetectedByTheChecksumAndByTheRecomputedChain() throws IOException {
        Path copy = copy("edited-audit");
        Path trail = copy.resolve("audit/trail.txt");
        List<String> lines = Files.readAllLines(trail);
        String edited = lines.get(3).replace("\"w1\"", "\"w9\"");
        assertThat(edited).isNotEqualTo(lines.get(3));
        lines.set(3, edited);
        Files.write(trail, lines);

        List<String> problems = verify(copy);
        assertThat(problems).anyMatch(p -> p.startsWith("audit/trail.txt: its SHA-256 does not match"))
                .anyMatch(p -> p.contains("do not hash to the digest that the checkpoint there signed"));
    }

    @Test
    void anEditedDataFileIsDetected() throws IOException {
        Path copy = copy("edited-data");
        Path gadgets = copy.resolve("tables/public.gadgets.jsonl");
        Files.writeString(gadgets, Files.readString(gadgets).replace("\"g2\"", "\"g7\""));
        assertThat(verify(copy)).containsExactly("tables/public.gadgets.jsonl: its SHA-256 does not match the manifest: the file was changed");
    }

    @Test
    void aRemovedRowAndAnAddedFileAreDetected() throws IOException {
        Path copy = copy("removed-row");
        Path widgets = copy.resolve("tables/public.widgets.jsonl");
        List<String> lines = Files.readAllLines(widgets);
        Files.write(widgets, lines.subList(1, lines.size()));
        Files.writeString(copy.resolve("tables/extra.jsonl"), "{}\n");
        assertThat(verify(copy)).contains("tables/public.widgets.jsonl: it has 3 rows, the manifest says 4",
                "tables/extra.jsonl: the manifest does not list this file");
    }

    @Test
    void aForgedCheckpointIsDetected() throws IOException {
        // The forger rewrites an audit row and recomputes the hash chain, which needs no key, then
        // must sign a checkpoint over the new digest: with a key of their own, under the same id.
        Path copy = copy("forged-checkpoint");
        Path trail = copy.resolve("audit/trail.txt");
        List<String> lines = Files.readAllLines(trail);
        String edited = lines.get(3).replace("\"w1\"", "\"w9\"");
        assertThat(edited).isNotEqualTo(lines.get(3));
        lines.set(3, edited);
        Files.write(trail, lines);
        String digest = AuditCheckpoint.GENESIS;
        for (String line : lines) {
            digest = AuditCheckpoint.nextDigest(digest, line.substring(line.indexOf(' ') + 1));
        }
        Path checkpoints = copy.resolve("audit/checkpoints.txt");
        AuditCheckpoint original = AuditCheckpoint.parse(Files.readAllLines(checkpoints).getLast());
        AuditSigningKey forger = AuditSigningKey.generate(SIGNING.id());
        AuditCheckpoint unsigned = new AuditCheckpoint(tenant, original.purpose(), original.position(), original.chainHash(), digest,
                forger.id(), original.signedAt(), "");
        AuditCheckpoint forged = new AuditCheckpoint(tenant, original.purpose(), original.position(), original.chainHash(), digest,
                forger.id(), original.signedAt(), forger.sign(unsigned.signedText()));
        Files.writeString(checkpoints, forged + "\n");
        // The manifest too, re-signed by the forger.
        String manifest = Files.readString(copy.resolve("manifest.txt"))
                .replace(original.digest(), digest)
                .replaceAll("file [0-9a-f]{64} (\\d+) audit/trail.txt", "file " + sha256(trail) + " $1 audit/trail.txt")
                .replaceAll("file [0-9a-f]{64} (\\d+) audit/checkpoints.txt", "file " + sha256(checkpoints) + " $1 audit/checkpoints.txt");
        Files.writeString(copy.resolve("manifest.txt"), manifest);
        Files.writeString(copy.resolve("manifest.sig"), forger.id() + " " + forger.sign(manifest.getBytes(StandardCharsets.UTF_8)) + "\n");

        List<String> problems = verify(copy);
        assertThat(problems).anyMatch(p -> p.startsWith("manifest.sig"))
                .anyMatch(p -> p.contains("checkpoint at position 9 does not verify"))
                .noneMatch(p -> p.contains("SHA-256"));
    }

    @Test
    void theCommandLineVerifiesAndReportsProblems() throws IOException {
        Path key = temp.resolve("sign-1.public-key");
        Files.writeString(key, SIGNING.publicKey() + "\n");
        Run intact = run("verify-archive", archive.toString(), key.toString());
        assertThat(intact.status()).isZero();
        assertThat(intact.out()).contains("intact: tenant " + tenant).contains("9 audit rows");

        Path copy = copy("cli-edited");
        Files.writeString(copy.resolve("tables/public.gadgets.jsonl"), "{}\n", java.nio.file.StandardOpenOption.APPEND);
        Run broken = run("verify-archive", copy.toString(), key.toString());
        assertThat(broken.status()).isEqualTo(1);
        assertThat(broken.out()).contains("problem: tables/public.gadgets.jsonl");

        Run usage = run("verify-archive", copy.toString());
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("usage: ArchiveTool");
        Run notAnArchive = run("verify-archive", temp.toString(), key.toString());
        assertThat(notAnArchive.status()).isEqualTo(2);
        assertThat(notAnArchive.err()).contains("is not an archive directory");
        assertThat(run("frobnicate").err()).contains("unknown command 'frobnicate'");
    }

    @Test
    void theCommandLineGeneratesAKeyAndExportsATenantThatThenVerifies() throws IOException {
        Path keys = Files.createDirectory(temp.resolve("keys"));
        assertThat(run("generate-signing-key", "cli-1", keys.toString()).status()).isZero();
        String signing = Files.readString(keys.resolve("cli-1.signing-key")).strip();
        assertThat(Files.getPosixFilePermissions(keys.resolve("cli-1.signing-key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        assertThat(run("generate-signing-key", "cli-1", keys.toString()).status()).describedAs("never overwrites a key").isEqualTo(2);

        Map<String, String> env = new HashMap<>();
        env.put("SENTINEL_JDBC_URL", db.jdbcUrl());
        env.put("SENTINEL_APP_USER", db.roles().app());
        env.put("SENTINEL_APP_PASSWORD", db.rolePassword());
        env.put("SENTINEL_SYSTEM_USER", db.roles().system());
        env.put("SENTINEL_SYSTEM_PASSWORD", db.rolePassword());
        env.put("SENTINEL_AUDIT_KEY", "k1 " + Base64.getEncoder().encodeToString(AUDIT_SECRET));
        env.put("SENTINEL_AUDIT_SIGNING_KEY", signing);
        Path out = temp.resolve("cli-archive");
        Run export = run(env, "export", "--tenant", other.toString(), "--out", out.toString());
        assertThat(export.status()).describedAs(export.err()).isZero();
        assertThat(export.out()).contains("exported tenant " + other);
        assertThat(run("verify-archive", out.toString(), keys.resolve("cli-1.public-key").toString()).status()).isZero();

        env.remove("SENTINEL_AUDIT_SIGNING_KEY");
        Run missing = run(env, "export", "--tenant", other.toString(), "--out", temp.resolve("never").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("SENTINEL_AUDIT_SIGNING_KEY").doesNotContain(db.rolePassword());
        assertThat(run(env, "export", "--tenant", "not-a-uuid", "--out", "x").err()).contains("--tenant 'not-a-uuid' is not a UUID");
        assertThat(temp.resolve("never")).doesNotExist();
    }

    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ArchiveTool.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> verify(Path copy) {
        return ArchiveVerifier.verify(copy, List.of(SIGNING.publicKey())).problems();
    }

    static Map<String, Long> manifestRows(Path archive) throws IOException {
        Map<String, Long> rows = new HashMap<>();
        for (String line : Files.readAllLines(archive.resolve("manifest.txt"))) {
            String[] parts = line.split(" ");
            if (parts[0].equals("file")) {
                rows.put(parts[3], Long.parseLong(parts[2]));
            }
        }
        return rows;
    }

    private static Path copy(String name) throws IOException {
        Path target = temp.resolve(name);
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(archive.relativize(file).toString()));
            }
        }
        return target;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
