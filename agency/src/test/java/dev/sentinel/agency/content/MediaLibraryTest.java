package dev.sentinel.agency.content;

import static dev.sentinel.agency.db.Tables.MEDIA_ASSETS;
import static dev.sentinel.agency.db.Tables.PROJECTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.MediaVisibility;
import dev.sentinel.agency.db.tables.records.ProjectsRecord;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.agency.support.DomainFixture;
import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The media library: registration with its checks, storage keys unique for good, what each
 * audience (members, portal, public) sees, visibility changes, soft deletion, permissions, tenant
 * isolation and the audit row of each change. Runs as the application role.
 */
class MediaLibraryTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static Sentinel sentinel;
    private static UUID tenant;
    private static Actor staff;
    private static Actor admin;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(3).build();
        tenant = Tenants.create(sentinel);
        staff = Actor.user(DomainFixture.member(sentinel, tenant, "staff"));
        admin = Actor.user(DomainFixture.member(sentinel, tenant, "admin"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static String key(String name) {
        return "uploads/" + Long.toHexString(System.nanoTime()) + "/" + name;
    }

    private static MediaAsset register(UUID inTenant, NewMediaAsset asset) {
        return sentinel.tenant(inTenant, Tenants.SETUP).inTransaction(tx -> tx.attach(MediaLibrary.class).register(asset));
    }

    private static UUID project(UUID inTenant) {
        return sentinel.tenant(inTenant, Tenants.SETUP).inTransaction(tx -> tx.table(PROJECTS).insert(new ProjectsRecord()
                .setName("Website relaunch").setSlug("p-" + Long.toHexString(System.nanoTime()))).getId());
    }

    private static int assetCount() {
        return sentinel.tenant(tenant, staff).inTransaction(tx -> tx.dsl().fetchCount(MEDIA_ASSETS));
    }

    @Test
    void aRegisteredAssetIsPrivateByDefaultAndItsRegistrationIsAudited() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("logo".getBytes(StandardCharsets.UTF_8));
        MediaAsset asset = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(MediaLibrary.class).register(
                NewMediaAsset.of("logo.png", "image/png", 5120, key("logo.png")).sha256(digest).altText("Acme's logo")));

        assertThat(asset.visibility()).isEqualTo(MediaVisibility.PRIVATE);
        assertThat(asset.sha256()).isEqualTo(digest);
        assertThat(asset.byteSize()).isEqualTo(5120);
        assertThat(asset.project()).isEmpty();
        MediaAsset read = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(MediaLibrary.class).get(asset.id(), MediaAudience.MEMBERS));
        assertThat(read).usingRecursiveComparison().isEqualTo(asset);
        assertThat(DomainFixture.audit(sentinel, tenant, "agency.media_assets", asset.id())).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("insert");
            assertThat(entry.diff()).contains("\"visibility\": {\"new\": \"private\"}")
                    .contains(HexFormat.of().formatHex(digest));
        });
    }

    @Test
    void badMetadataIsRefusedBeforeAnythingIsWritten() {
        int before = assetCount();
        assertThatThrownBy(() -> NewMediaAsset.of("", "image/png", 1, "k")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewMediaAsset.of("a.png", "image", 1, "k")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a MIME type");
        assertThatThrownBy(() -> NewMediaAsset.of("a.png", "Image/PNG", 1, "k")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewMediaAsset.of("a.png", "image/png", -1, "k")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewMediaAsset.of("a.png", "image/png", 1, " ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewMediaAsset.of("a.png", "image/png", 1, "k").sha256(new byte[64]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has 64 bytes");
        assertThatThrownBy(() -> NewMediaAsset.of("a.png", "image/png", 1, "k").visibility(null))
                .isInstanceOf(InvalidInputException.class);
        UUID missingProject = UUID.randomUUID();
        assertThatThrownBy(() -> register(tenant, NewMediaAsset.of("a.png", "image/png", 1, key("a.png")).project(missingProject)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no live project " + missingProject);
        UUID othersProject = project(Tenants.create(sentinel));
        assertThatThrownBy(() -> register(tenant, NewMediaAsset.of("a.png", "image/png", 1, key("a.png")).project(othersProject)))
                .describedAs("another tenant's project").isInstanceOf(NotFoundException.class);
        assertThat(assetCount()).isEqualTo(before);
    }

    @Test
    void aStorageKeyStaysTakenAfterItsAssetIsDeleted() {
        String storageKey = key("contract.pdf");
        MediaAsset first = register(tenant, NewMediaAsset.of("contract.pdf", "application/pdf", 100, storageKey));
        sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(MediaLibrary.class).delete(first.id(), "uploaded twice"));
        int before = assetCount();
        assertThatThrownBy(() -> register(tenant, NewMediaAsset.of("contract.pdf", "application/pdf", 100, storageKey)))
                .isInstanceOfSatisfying(UniqueViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("media_assets_storage_key_key"))
                .hasMessageContaining("possibly deleted");
        assertThat(assetCount()).isEqualTo(before);
        MediaAsset elsewhere = register(Tenants.create(sentinel), NewMediaAsset.of("contract.pdf", "application/pdf", 100, storageKey));
        assertThat(elsewhere.storageKey()).describedAs("unique per tenant only").isEqualTo(storageKey);
    }

    @Test
    void aPortalUserSeesOnlyPublicAndPortalAssets() {
        UUID library = Tenants.create(sentinel);
        UUID project = project(library);
        MediaAsset publicAsset = register(library, NewMediaAsset.of("brochure.pdf", "application/pdf", 1, key("b"))
                .visibility(MediaVisibility.PUBLIC));
        MediaAsset portalAsset = register(library, NewMediaAsset.of("mockup.png", "image/png", 1, key("m"))
                .visibility(MediaVisibility.PORTAL).project(project));
        MediaAsset privateAsset = register(library, NewMediaAsset.of("notes.txt", "text/plain", 1, key("n")).project(project));
        MediaAsset publicInProject = register(library, NewMediaAsset.of("teaser.mp4", "video/mp4", 1, key("t"))
                .visibility(MediaVisibility.PUBLIC).project(project));

        sentinel.tenant(library, Tenants.SETUP).useTransaction(tx -> {
            MediaLibrary media = tx.attach(MediaLibrary.class);
            assertThat(ids(media.list(MediaAudience.MEMBERS, PageRequest.first(10))))
                    .containsExactly(publicAsset.id(), portalAsset.id(), privateAsset.id(), publicInProject.id());
            assertThat(ids(media.list(MediaAudience.PORTAL, PageRequest.first(10))))
                    .containsExactly(publicAsset.id(), portalAsset.id(), publicInProject.id());
            assertThat(ids(media.list(MediaAudience.PUBLIC, PageRequest.first(10))))
                    .containsExactly(publicAsset.id(), publicInProject.id());
            assertThat(ids(media.list(MediaAudience.PORTAL, project, PageRequest.first(10))))
                    .containsExactly(portalAsset.id(), publicInProject.id());

            Page<MediaAsset> first = media.list(MediaAudience.PORTAL, project, PageRequest.first(1));
            assertThat(ids(first)).containsExactly(portalAsset.id());
            Page<MediaAsset> second = media.list(MediaAudience.PORTAL, project, first.next().orElseThrow());
            assertThat(ids(second)).describedAs("paging skips what the portal may not see").containsExactly(publicInProject.id());
            assertThat(second.next()).isEmpty();

            assertThat(media.find(privateAsset.id(), MediaAudience.PORTAL)).isEmpty();
            assertThat(media.find(portalAsset.id(), MediaAudience.PUBLIC)).isEmpty();
            assertThat(media.find(privateAsset.id(), MediaAudience.MEMBERS)).isPresent();
            assertThatThrownBy(() -> media.get(privateAsset.id(), MediaAudience.PORTAL))
                    .describedAs("reported like a missing asset").isInstanceOf(NotFoundException.class);
        });
        assertThatThrownBy(() -> sentinel.tenant(library, Tenants.SETUP).useTransaction(tx ->
                tx.attach(MediaLibrary.class).list(null, PageRequest.first(10)))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theAudiencesSeeWhatTheirDocumentationSays() {
        assertThat(MediaAudience.MEMBERS.sees()).containsExactlyInAnyOrder(MediaVisibility.values());
        assertThat(MediaAudience.PORTAL.sees()).containsExactlyInAnyOrder(MediaVisibility.PUBLIC, MediaVisibility.PORTAL);
        assertThat(MediaAudience.PUBLIC.sees()).containsExactly(MediaVisibility.PUBLIC);
    }

    @Test
    void makingAnAssetPortalVisibleShowsItInThePortal() {
        MediaAsset asset = register(tenant, NewMediaAsset.of("invoice-scan.pdf", "application/pdf", 1, key("scan")));
        MediaAsset shared = sentinel.tenant(tenant, staff).inTransaction(tx ->
                tx.attach(MediaLibrary.class).changeVisibility(asset.id(), MediaVisibility.PORTAL));
        assertThat(shared.visibility()).isEqualTo(MediaVisibility.PORTAL);
        java.util.Optional<MediaAsset> inPortal = sentinel.tenant(tenant, staff).inTransaction(tx ->
                tx.attach(MediaLibrary.class).find(asset.id(), MediaAudience.PORTAL));
        assertThat(inPortal).isPresent();
        MediaAsset again = sentinel.tenant(tenant, staff).inTransaction(tx ->
                tx.attach(MediaLibrary.class).changeVisibility(asset.id(), MediaVisibility.PORTAL));
        assertThat(again.updatedAt()).describedAs("no change, no write").isEqualTo(shared.updatedAt());

        List<AuditEntry> trail = DomainFixture.audit(sentinel, tenant, "agency.media_assets", asset.id());
        assertThat(trail).extracting(AuditEntry::action).containsExactly("update", "insert");
        assertThat(trail.getFirst().diff()).contains("\"visibility\": {\"new\": \"portal\", \"old\": \"private\"}");
    }

    @Test
    void aDeletedAssetIsHiddenFromEveryAudience() {
        MediaAsset asset = register(tenant, NewMediaAsset.of("old.png", "image/png", 1, key("old")).visibility(MediaVisibility.PUBLIC));
        MediaAsset deleted = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(MediaLibrary.class).delete(asset.id(), "replaced"));
        assertThat(deleted.deletedAt()).isNotNull();
        assertThat(deleted.deleteReason()).isEqualTo("replaced");
        sentinel.tenant(tenant, staff).useTransaction(tx -> {
            for (MediaAudience audience : MediaAudience.values()) {
                assertThat(tx.attach(MediaLibrary.class).find(asset.id(), audience)).isEmpty();
                assertThat(ids(tx.attach(MediaLibrary.class).list(audience, PageRequest.first(1000)))).doesNotContain(asset.id());
            }
        });
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx ->
                tx.attach(MediaLibrary.class).changeVisibility(asset.id(), MediaVisibility.PRIVATE))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(MediaLibrary.class).delete(asset.id(), "again")))
                .isInstanceOf(NotFoundException.class);
        assertThat(DomainFixture.audit(sentinel, tenant, "agency.media_assets", asset.id())).extracting(AuditEntry::action)
                .containsExactly("soft_delete", "insert");
    }

    @Test
    void everyWriteNeedsItsPermissionAndARefusalWritesNothing() {
        MediaAsset asset = register(tenant, NewMediaAsset.of("guarded.png", "image/png", 1, key("guarded")));
        Actor viewer = Actor.user(DomainFixture.member(sentinel, tenant, "viewer"));
        Actor roleless = Actor.user(DomainFixture.member(sentinel, tenant, null));
        int assetsBefore = assetCount();
        int auditBefore = DomainFixture.auditCount(sentinel, tenant);

        for (Actor actor : List.of(viewer, roleless)) {
            assertDenied(actor, "media:upload", tx -> tx.attach(MediaLibrary.class).register(NewMediaAsset.of("x.png", "image/png", 1, key("x"))));
            assertDenied(actor, "media:update", tx -> tx.attach(MediaLibrary.class).changeVisibility(asset.id(), MediaVisibility.PUBLIC));
            assertDenied(actor, "media:delete", tx -> tx.attach(MediaLibrary.class).delete(asset.id(), "no"));
        }
        assertDenied(staff, "media:delete", tx -> tx.attach(MediaLibrary.class).delete(asset.id(), "no"));

        assertThat(assetCount()).isEqualTo(assetsBefore);
        assertThat(DomainFixture.auditCount(sentinel, tenant)).isEqualTo(auditBefore);
        MediaAsset read = sentinel.tenant(tenant, viewer).inTransaction(tx -> tx.attach(MediaLibrary.class).get(asset.id(), MediaAudience.MEMBERS));
        assertThat(read.visibility()).describedAs("reads need no permission; nothing changed").isEqualTo(MediaVisibility.PRIVATE);
    }

    @Test
    void anotherTenantsAssetIsNotFoundAndTheSystemScopeHasNoLibrary() {
        MediaAsset asset = register(tenant, NewMediaAsset.of("mine.png", "image/png", 1, key("mine")).visibility(MediaVisibility.PUBLIC));
        UUID other = Tenants.create(sentinel);
        Actor otherAdmin = Actor.user(DomainFixture.member(sentinel, other, "admin"));
        sentinel.tenant(other, otherAdmin).useTransaction(tx -> {
            assertThat(tx.attach(MediaLibrary.class).find(asset.id(), MediaAudience.PUBLIC)).isEmpty();
            assertThat(tx.attach(MediaLibrary.class).list(MediaAudience.MEMBERS, PageRequest.first(10)).items()).isEmpty();
        });
        assertThatThrownBy(() -> sentinel.tenant(other, otherAdmin).useTransaction(tx -> tx.attach(MediaLibrary.class).delete(asset.id(), "mine now")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.attach(MediaLibrary.class)))
                .isInstanceOf(MissingScopeException.class).hasMessageContaining("tx.attach(MediaLibrary.class)");
    }

    private static List<UUID> ids(Page<MediaAsset> page) {
        return page.items().stream().map(MediaAsset::id).toList();
    }

    private static void assertDenied(Actor actor, String permission, Consumer<Tx> work) {
        assertThatThrownBy(() -> sentinel.tenant(tenant, actor).useTransaction(work::accept))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining(permission);
    }
}
