package dev.sentinel.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.SoftDelete;
import org.hibernate.annotations.SoftDeleteType;
import org.hibernate.annotations.TenantId;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.envers.Audited;

/**
 * A row of {@code hib_notes} as a Hibernate user maps it: the tenant by {@link TenantId} (Hibernate
 * fills it and adds it to every query), soft deletes by {@link SoftDelete} on {@code deleted_at}
 * (removal becomes an update, and reads skip deleted rows), optimistic locking by {@link Version},
 * the history by Envers ({@link Audited}, into {@code hib_notes_aud}). Who deleted and why are
 * ordinary columns, set before the removal.
 */
@Entity
@Table(name = "hib_notes")
@Audited
@SoftDelete(strategy = SoftDeleteType.TIMESTAMP, columnName = "deleted_at")
class HibernateNote {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private UUID tenantId;

    @Id
    private UUID id;

    @Column(nullable = false)
    private String title;

    @Column(nullable = false)
    private String body = "";

    @Column(nullable = false)
    private String status = "open";

    private int priority;

    @Version
    private int version;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private OffsetDateTime createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    @Column(name = "deleted_by")
    private UUID deletedBy;

    @Column(name = "delete_reason")
    private String deleteReason;

    /** For Hibernate. */
    protected HibernateNote() {
    }

    HibernateNote(UUID id, String title, String body) {
        this.id = id;
        this.title = title;
        this.body = body;
    }

    UUID getId() {
        return id;
    }

    UUID getTenantId() {
        return tenantId;
    }

    String getTitle() {
        return title;
    }

    void setTitle(String title) {
        this.title = title;
    }

    int getPriority() {
        return priority;
    }

    void setPriority(int priority) {
        this.priority = priority;
    }

    int getVersion() {
        return version;
    }

    void markDeleted(UUID by, String reason) {
        this.deletedBy = by;
        this.deleteReason = reason;
    }
}
