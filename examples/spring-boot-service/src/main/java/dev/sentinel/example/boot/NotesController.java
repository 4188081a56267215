package dev.sentinel.example.boot;

import static dev.sentinel.core.db.Tables.TENANTS;
import static dev.sentinel.example.boot.db.Tables.NOTES;

import dev.sentinel.core.Actor;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.example.boot.db.tables.records.NotesRecord;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API: tenants, a tenant's notes (soft-deleted, indexed by a job enqueued in the same
 * transaction) and a note's audit trail. Each {@link Scope} argument is the caller's tenant and
 * user, from the starter.
 */
@RestController
public class NotesController {

    /** A note as the API shows it. */
    public record Note(UUID id, String body, boolean indexed, OffsetDateTime createdAt) {
        static Note of(NotesRecord r) {
            return new Note(r.getId(), r.getBody(), r.getIndexedAt() != null, r.getCreatedAt());
        }
    }

    /** A note's body, as posted. */
    public record NewNote(String body) {
    }

    /** A tenant to create. */
    public record NewTenant(String slug, String name) {
    }

    private final Sentinel sentinel;

    NotesController(Sentinel sentinel) {
        this.sentinel = sentinel;
    }

    @PostMapping("/tenants")
    @ResponseStatus(HttpStatus.CREATED)
    UUID createTenant(@RequestBody NewTenant tenant) {
        return sentinel.system(Actor.service("signup")).inTransaction(tx ->
                tx.table(TENANTS).insert(new TenantsRecord().setSlug(tenant.slug()).setName(tenant.name())).getId());
    }

    @PostMapping("/notes")
    @ResponseStatus(HttpStatus.CREATED)
    Note create(Scope scope, @RequestBody NewNote note) {
        return scope.inTransaction(tx -> {
            NotesRecord created = tx.table(NOTES).insert(new NotesRecord().setBody(note.body()));
            tx.jobs().enqueue(IndexNote.TYPE, "{\"note\": \"" + created.getId() + "\"}");
            return Note.of(created);
        });
    }

    @GetMapping("/notes")
    List<Note> list(Scope scope) {
        return scope.inTransaction(tx -> tx.table(NOTES).list(DSL.noCondition(), PageRequest.first(100)).items().stream().map(Note::of).toList());
    }

    @GetMapping("/notes/{id}")
    Note get(Scope scope, @PathVariable UUID id) {
        return scope.inTransaction(tx -> Note.of(tx.table(NOTES).get(id)));
    }

    @DeleteMapping("/notes/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Scope scope, @PathVariable UUID id) {
        scope.useTransaction(tx -> tx.table(NOTES).softDelete(id, "deleted through the API"));
    }

    @GetMapping("/notes/{id}/audit")
    List<String> audit(Scope scope, @PathVariable UUID id) {
        return scope.inTransaction(tx -> tx.audit().list(AuditFilter.all().entity("public.notes", id), 50).entries().stream()
                .map(AuditEntry::action).toList());
    }
}
