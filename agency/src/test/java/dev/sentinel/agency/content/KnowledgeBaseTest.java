package dev.sentinel.agency.content;

import static dev.sentinel.agency.db.Tables.KB_DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.KbStatus;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.agency.support.DomainFixture;
import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The knowledge base: slugs unique among live documents, the draft / published / archived life
 * cycle with its publication time, optimistic locking of edits, tags, permissions, tenant isolation
 * and the audit row of each change. Runs as the application role.
 */
class KnowledgeBaseTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    /** The service's clock, moved by the tests, so that publication times can be told apart. */
    private static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-03-01T09:00:00Z"));

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID staffUser;
    private static Actor staff;
    private static Actor admin;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(3)
                .clock(CLOCK).build();
        tenant = Tenants.create(sentinel);
        staffUser = DomainFixture.member(sentinel, tenant, "staff");
        staff = Actor.user(staffUser);
        admin = Actor.user(DomainFixture.member(sentinel, tenant, "admin"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static String slug(String base) {
        return base + "-" + Long.toHexString(System.nanoTime());
    }

    private static KbDocument create(NewKbDocument document) {
        return sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(KnowledgeBase.class).create(document));
    }

    private static KbDocument reload(UUID id) {
        return sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(KnowledgeBase.class).get(id));
    }

    private static List<AuditEntry> audit(UUID id) {
        return DomainFixture.audit(sentinel, tenant, "agency.kb_documents", id);
    }

    private static int documentCount() {
        return sentinel.tenant(tenant, staff).inTransaction(tx -> tx.dsl().fetchCount(KB_DOCUMENTS));
    }

    @Test
    void aNewDocumentIsADraftWithItsTagsAndItsAuthor() {
        KbDocument doc = create(NewKbDocument.of(slug("getting-started"), "Getting started").body("# Welcome")
                .tags(List.of("onboarding", "basics", "onboarding")));

        assertThat(doc.status()).isEqualTo(KbStatus.DRAFT);
        assertThat(doc.tags()).describedAs("repeats dropped, order kept").containsExactly("onboarding", "basics");
        assertThat(doc.publishedAt()).isNull();
        assertThat(doc.createdBy()).isEqualTo(staffUser);
        assertThat(doc.version()).isZero();
        assertThat(doc.tenantId()).isEqualTo(tenant);
        assertThat(reload(doc.id())).isEqualTo(doc);
        assertThat(audit(doc.id())).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("insert");
            assertThat(entry.actorId()).isEqualTo(staffUser);
            assertThat(entry.diff()).contains("\"tags\": {\"new\": [\"onboarding\", \"basics\"]}");
        });
    }

    @Test
    void badValuesAreRefusedBeforeAnythingIsWritten() {
        int before = documentCount();
        assertThatThrownBy(() -> NewKbDocument.of("Getting Started", "x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("slug 'Getting Started'");
        assertThatThrownBy(() -> NewKbDocument.of("-leading-dash", "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewKbDocument.of("a".repeat(129), "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewKbDocument.of("ok", " ")).isInstanceOf(InvalidInputException.class).hasMessageContaining("title");
        assertThatThrownBy(() -> NewKbDocument.of("ok", "x").tags(List.of(" padded"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewKbDocument.of("ok", "x").tags(java.util.Arrays.asList("a", null)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> NewKbDocument.of("ok", "x").body(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> KbDocumentChange.none().slug("NO")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).create(null)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(documentCount()).isEqualTo(before);
    }

    @Test
    void aSlugIsUniqueAmongTheTenantsLiveDocumentsOnly() {
        String slug = slug("pricing");
        KbDocument first = create(NewKbDocument.of(slug, "Pricing"));
        int before = documentCount();

        assertThatThrownBy(() -> create(NewKbDocument.of(slug, "Pricing, again")))
                .isInstanceOfSatisfying(UniqueViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("kb_documents_slug_live_key"))
                .hasMessageContaining("slug '" + slug + "' is taken");
        assertThat(documentCount()).isEqualTo(before);

        KbDocument elsewhere = sentinel.tenant(Tenants.create(sentinel), Tenants.SETUP).inTransaction(tx ->
                tx.attach(KnowledgeBase.class).create(NewKbDocument.of(slug, "Another tenant's pricing")));
        assertThat(elsewhere.slug()).describedAs("another tenant may use the slug").isEqualTo(slug);

        sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(KnowledgeBase.class).delete(first.id(), "rewritten"));
        KbDocument second = create(NewKbDocument.of(slug, "Pricing, rewritten"));
        assertThat(second.id()).isNotEqualTo(first.id());
        KbDocument bySlug = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(KnowledgeBase.class).findBySlug(slug).orElseThrow());
        assertThat(bySlug.id()).describedAs("the deleted document freed its slug").isEqualTo(second.id());
    }

    @Test
    void aDocumentIsPublishedArchivedAndPublishedAgainKeepingItsFirstPublicationTime() {
        KbDocument draft = create(NewKbDocument.of(slug("release-notes"), "Release notes"));
        Instant firstPublication = CLOCK.advance(Duration.ofMinutes(5));
        KbDocument published = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(KnowledgeBase.class).publish(draft.id()));
        assertThat(published.status()).isEqualTo(KbStatus.PUBLISHED);
        assertThat(published.publishedAt().toInstant()).isEqualTo(firstPublication);
        assertThat(published.version()).isEqualTo(1);

        CLOCK.advance(Duration.ofDays(3));
        KbDocument archived = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(KnowledgeBase.class).archive(draft.id()));
        assertThat(archived.status()).isEqualTo(KbStatus.ARCHIVED);
        assertThat(archived.publishedAt().toInstant()).isEqualTo(firstPublication);

        CLOCK.advance(Duration.ofDays(3));
        KbDocument republished = sentinel.tenant(tenant, staff).inTransaction(tx -> tx.attach(KnowledgeBase.class).publish(draft.id()));
        assertThat(republished.status()).isEqualTo(KbStatus.PUBLISHED);
        assertThat(republished.publishedAt().toInstant()).describedAs("first publication kept").isEqualTo(firstPublication);

        List<AuditEntry> trail = audit(draft.id());
        assertThat(trail).extracting(AuditEntry::action).containsExactly("update", "update", "update", "insert");
        assertThat(trail.get(2).diff()).contains("\"status\": {\"new\": \"published\", \"old\": \"draft\"}")
                .contains("\"published_at\": {\"new\": \"2026-03-01T");
        assertThat(trail.get(1).diff()).contains("\"status\": {\"new\": \"archived\", \"old\": \"published\"}")
                .doesNotContain("published_at");
    }

    @Test
    void movesOutsideTheLifeCycleAreRefusedAndWriteNothing() {
        KbDocument draft = create(NewKbDocument.of(slug("faq"), "FAQ"));
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).archive(draft.id())))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("is draft").hasMessageContaining("deleted instead");
        sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).publish(draft.id()));
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).publish(draft.id())))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("published already");
        sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).archive(draft.id()));
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).archive(draft.id())))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("is archived");
        KbDocument archived = reload(draft.id());
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx ->
                tx.attach(KnowledgeBase.class).edit(draft.id(), archived.version(), KbDocumentChange.none().title("Changed"))))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("read-only");

        assertThat(reload(draft.id())).isEqualTo(archived);
        assertThat(audit(draft.id())).extracting(AuditEntry::action).containsExactly("update", "update", "insert");
    }

    @Test
    void onlyPublishedDocumentsAreFoundForReaders() {
        String slug = slug("how-to");
        KbDocument doc = create(NewKbDocument.of(slug, "How to"));
        sentinel.tenant(tenant, staff).useTransaction(tx -> {
            assertThat(tx.attach(KnowledgeBase.class).findPublished(slug)).describedAs("a draft").isEmpty();
            assertThat(tx.attach(KnowledgeBase.class).findBySlug(slug)).map(KbDocument::id).contains(doc.id());
            tx.attach(KnowledgeBase.class).publish(doc.id());
            assertThat(tx.attach(KnowledgeBase.class).findPublished(slug)).map(KbDocument::id).contains(doc.id());
            tx.attach(KnowledgeBase.class).archive(doc.id());
            assertThat(tx.attach(KnowledgeBase.class).findPublished(slug)).describedAs("archived").isEmpty();
        });
    }

    @Test
    void anEditAppliesOnlyToTheVersionItWasMadeFrom() {
        KbDocument doc = create(NewKbDocument.of(slug("billing"), "Billing").body("v0").tags(List.of("money")));

        KbDocument edited = sentinel.tenant(tenant, staff).inTransaction(tx ->
                tx.attach(KnowledgeBase.class).edit(doc.id(), doc.version(), KbDocumentChange.none().body("v1").tags(List.of("money", "invoices"))));
        assertThat(edited.version()).isEqualTo(doc.version() + 1);
        assertThat(edited.body()).isEqualTo("v1");
        assertThat(edited.title()).describedAs("unset parts stay").isEqualTo("Billing");
        assertThat(edited.tags()).containsExactly("money", "invoices");

        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx ->
                tx.attach(KnowledgeBase.class).edit(doc.id(), doc.version(), KbDocumentChange.none().body("lost update"))))
                .describedAs("a second editor who read version 0").isInstanceOf(StaleRecordException.class)
                .hasMessageContaining("version 1, not 0");
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx ->
                tx.attach(KnowledgeBase.class).edit(doc.id(), edited.version(), KbDocumentChange.none())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("changes nothing");
        assertThat(reload(doc.id())).isEqualTo(edited);

        List<AuditEntry> trail = audit(doc.id());
        assertThat(trail).extracting(AuditEntry::action).containsExactly("update", "insert");
        assertThat(trail.getFirst().diff()).contains("\"body\": {\"new\": \"v1\", \"old\": \"v0\"}")
                .contains("\"version\": {\"new\": 1, \"old\": 0}");
    }

    @Test
    void twoEditorsInConcurrentTransactionsCannotOverwriteEachOther() {
        KbDocument doc = create(NewKbDocument.of(slug("shared"), "Shared"));
        // The second editor's transaction reads while the first one's edit is not committed yet.
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(outer -> {
            KbDocument seen = outer.attach(KnowledgeBase.class).get(doc.id());
            Thread first = Thread.ofPlatform().start(() -> sentinel.tenant(tenant, staff).useTransaction(tx ->
                    tx.attach(KnowledgeBase.class).edit(doc.id(), doc.version(), KbDocumentChange.none().title("First"))));
            first.join();
            outer.attach(KnowledgeBase.class).edit(doc.id(), seen.version(), KbDocumentChange.none().title("Second"));
        })).isInstanceOf(StaleRecordException.class);
        assertThat(reload(doc.id()).title()).isEqualTo("First");
    }

    @Test
    void aNewSlugMustBeFreeToo() {
        String taken = slug("taken");
        create(NewKbDocument.of(taken, "Taken"));
        KbDocument doc = create(NewKbDocument.of(slug("free"), "Free"));
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx ->
                tx.attach(KnowledgeBase.class).edit(doc.id(), doc.version(), KbDocumentChange.none().slug(taken))))
                .isInstanceOf(UniqueViolationException.class).hasMessageContaining("'" + taken + "' is taken");
        assertThat(reload(doc.id()).slug()).isEqualTo(doc.slug());
    }

    @Test
    void documentsAreListedByStatusAndTag() {
        UUID listTenant = Tenants.create(sentinel);
        sentinel.tenant(listTenant, Tenants.SETUP).useTransaction(tx -> {
            KbDocument a = tx.attach(KnowledgeBase.class).create(NewKbDocument.of("a", "A").tags(List.of("api", "Guide")));
            KbDocument b = tx.attach(KnowledgeBase.class).create(NewKbDocument.of("b", "B").tags(List.of("guide")));
            KbDocument c = tx.attach(KnowledgeBase.class).create(NewKbDocument.of("c", "C").tags(List.of("guide", "api")));
            tx.attach(KnowledgeBase.class).create(NewKbDocument.of("d", "D"));
            tx.attach(KnowledgeBase.class).publish(a.id());
            tx.attach(KnowledgeBase.class).publish(c.id());

            Page<KbDocument> published = tx.attach(KnowledgeBase.class).list(KbStatus.PUBLISHED, PageRequest.first(10));
            assertThat(published.items()).extracting(KbDocument::slug).containsExactly("a", "c");
            assertThat(tx.attach(KnowledgeBase.class).list(KbStatus.PUBLISHED, "api", PageRequest.first(10)).items())
                    .extracting(KbDocument::slug).containsExactly("a", "c");
            assertThat(tx.attach(KnowledgeBase.class).list(KbStatus.PUBLISHED, "guide", PageRequest.first(10)).items())
                    .describedAs("tags match exactly, case included").extracting(KbDocument::slug).containsExactly("c");
            assertThat(tx.attach(KnowledgeBase.class).list(KbStatus.DRAFT, "guide", PageRequest.first(10)).items())
                    .extracting(KbDocument::id).containsExactly(b.id());
            Page<KbDocument> firstPage = tx.attach(KnowledgeBase.class).list(KbStatus.DRAFT, PageRequest.first(1));
            assertThat(firstPage.items()).extracting(KbDocument::slug).containsExactly("b");
            assertThat(tx.attach(KnowledgeBase.class).list(KbStatus.DRAFT, firstPage.next().orElseThrow()).items())
                    .extracting(KbDocument::slug).containsExactly("d");
        });
    }

    @Test
    void aDeletedDocumentIsGoneFromEveryReadButKeepsWhoAndWhy() {
        KbDocument doc = create(NewKbDocument.of(slug("obsolete"), "Obsolete"));
        sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).publish(doc.id()));
        KbDocument deleted = sentinel.tenant(tenant, admin).inTransaction(tx -> tx.attach(KnowledgeBase.class).delete(doc.id(), "obsolete"));
        assertThat(deleted.deletedAt()).isNotNull();
        assertThat(deleted.deleteReason()).isEqualTo("obsolete");
        sentinel.tenant(tenant, staff).useTransaction(tx -> {
            assertThat(tx.attach(KnowledgeBase.class).find(doc.id())).isEmpty();
            assertThat(tx.attach(KnowledgeBase.class).findPublished(doc.slug())).isEmpty();
            assertThat(tx.attach(KnowledgeBase.class).list(KbStatus.PUBLISHED, PageRequest.first(1000)).items())
                    .extracting(KbDocument::id).doesNotContain(doc.id());
        });
        assertThatThrownBy(() -> sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).archive(doc.id())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, admin).useTransaction(tx -> tx.attach(KnowledgeBase.class).delete(doc.id(), "again")))
                .isInstanceOf(NotFoundException.class);
        assertThat(audit(doc.id())).extracting(AuditEntry::action).containsExactly("soft_delete", "update", "insert");
    }

    @Test
    void everyWriteNeedsItsPermissionAndARefusalWritesNothing() {
        KbDocument draft = create(NewKbDocument.of(slug("guarded"), "Guarded"));
        KbDocument published = create(NewKbDocument.of(slug("guarded-published"), "Guarded, published"));
        sentinel.tenant(tenant, staff).useTransaction(tx -> tx.attach(KnowledgeBase.class).publish(published.id()));
        Actor viewer = Actor.user(DomainFixture.member(sentinel, tenant, "viewer"));
        Actor roleless = Actor.user(DomainFixture.member(sentinel, tenant, null));
        int documentsBefore = documentCount();
        int auditBefore = DomainFixture.auditCount(sentinel, tenant);

        for (Actor actor : List.of(viewer, roleless)) {
            assertDenied(actor, "kb_document:create", tx -> tx.attach(KnowledgeBase.class).create(NewKbDocument.of(slug("no"), "No")));
            assertDenied(actor, "kb_document:update", tx -> tx.attach(KnowledgeBase.class).edit(draft.id(), 0, KbDocumentChange.none().title("No")));
            assertDenied(actor, "kb_document:publish", tx -> tx.attach(KnowledgeBase.class).publish(draft.id()));
            assertDenied(actor, "kb_document:archive", tx -> tx.attach(KnowledgeBase.class).archive(published.id()));
            assertDenied(actor, "kb_document:delete", tx -> tx.attach(KnowledgeBase.class).delete(draft.id(), "no"));
        }
        assertDenied(staff, "kb_document:delete", tx -> tx.attach(KnowledgeBase.class).delete(draft.id(), "no"));

        assertThat(documentCount()).isEqualTo(documentsBefore);
        assertThat(DomainFixture.auditCount(sentinel, tenant)).isEqualTo(auditBefore);
        assertThat(reload(draft.id())).isEqualTo(draft);
        java.util.Optional<KbDocument> read = sentinel.tenant(tenant, viewer).inTransaction(tx ->
                tx.attach(KnowledgeBase.class).findPublished(published.slug()));
        assertThat(read).describedAs("reads need no permission").isPresent();
    }

    @Test
    void anotherTenantsDocumentIsNotFoundAndTheSystemScopeHasNoKnowledgeBase() {
        KbDocument doc = create(NewKbDocument.of(slug("private"), "Private"));
        UUID other = Tenants.create(sentinel);
        Actor otherAdmin = Actor.user(DomainFixture.member(sentinel, other, "admin"));
        sentinel.tenant(other, otherAdmin).useTransaction(tx -> {
            assertThat(tx.attach(KnowledgeBase.class).find(doc.id())).isEmpty();
            assertThat(tx.attach(KnowledgeBase.class).findBySlug(doc.slug())).isEmpty();
        });
        assertThatThrownBy(() -> sentinel.tenant(other, otherAdmin).useTransaction(tx -> tx.attach(KnowledgeBase.class).publish(doc.id())))
                .isInstanceOf(NotFoundException.class);
        assertThat(reload(doc.id()).status()).isEqualTo(KbStatus.DRAFT);
        assertThatThrownBy(() -> sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.attach(KnowledgeBase.class)))
                .isInstanceOf(MissingScopeException.class).hasMessageContaining("tx.attach(KnowledgeBase.class)");
    }

    private static void assertDenied(Actor actor, String permission, Consumer<Tx> work) {
        assertThatThrownBy(() -> sentinel.tenant(tenant, actor).useTransaction(work::accept))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining(permission);
    }

    /** A clock the test moves forward by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        Instant advance(Duration by) {
            now = now.plus(by);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("fixed to UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
