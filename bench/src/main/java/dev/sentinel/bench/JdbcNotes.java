package dev.sentinel.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Plain JDBC on {@code plain_notes}: the SQL that Sentinel's repository sends, written by hand
 * with prepared statements, rows mapped to {@link Note}, and the audit row inserted by hand into
 * {@code sentinel.audit_log} after each write, with the diff built in Java.
 */
final class JdbcNotes extends HandWrittenNotes<Note> {

    private static final String INSERT = "insert into plain_notes (tenant_id, id, title, body, created_at, updated_at)"
            + " values (?, ?, ?, ?, ?, ?) returning " + Note.COLUMNS;
    private static final String FIND = "select " + Note.COLUMNS + " from plain_notes"
            + " where id = ? and tenant_id = ? and deleted_at is null";
    private static final String LIST = "select " + Note.COLUMNS + " from plain_notes"
            + " where tenant_id = ? and deleted_at is null and id > ? order by id limit ?";
    private static final String UPDATE = "update plain_notes set title = ?, priority = ?, updated_at = ?, version = version + 1"
            + " where id = ? and tenant_id = ? and deleted_at is null and version = ? returning " + Note.COLUMNS;
    private static final String SOFT_DELETE = "update plain_notes set deleted_at = ?, deleted_by = ?, delete_reason = ?, updated_at = ?"
            + " where id = ? and tenant_id = ? and deleted_at is null returning " + Note.COLUMNS;
    private static final String AUDIT = "insert into sentinel.audit_log (tenant_id, id, action,"
            + " entity_type, entity_id, diff, meta, request_id) values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)";

    JdbcNotes(DataSource dataSource, UUID tenantId, UUID userId) {
        super(dataSource, tenantId, userId);
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public Object find() {
        UUID id = nextReadId();
        return inTransaction((connection, requestId) -> {
            try (PreparedStatement select = connection.prepareStatement(FIND)) {
                select.setObject(1, id);
                select.setObject(2, tenantId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Note.read(rs) : null;
                }
            }
        });
    }

    @Override
    public Object listPage() {
        UUID after = nextPageStart();
        return inTransaction((connection, requestId) -> {
            try (PreparedStatement select = connection.prepareStatement(LIST)) {
                select.setObject(1, tenantId);
                select.setObject(2, after);
                select.setInt(3, PAGE_SIZE + 1);
                List<Note> page = new ArrayList<>(PAGE_SIZE + 1);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        page.add(Note.read(rs));
                    }
                }
                // The extra row only says that a next page exists.
                return page.size() > PAGE_SIZE ? page.subList(0, PAGE_SIZE) : page;
            }
        });
    }

    @Override
    Note insertRow() {
        String title = nextTitle();
        return inTransaction((connection, requestId) -> insert(connection, requestId, title));
    }

    @Override
    Note updateRow(Note row, String title, int priority) {
        return inTransaction((connection, requestId) -> update(connection, requestId, row, title, priority));
    }

    @Override
    Note softDeleteRow(Note row) {
        return inTransaction((connection, requestId) -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Note deleted;
            try (PreparedStatement update = connection.prepareStatement(SOFT_DELETE)) {
                update.setObject(1, now);
                update.setObject(2, userId);
                update.setString(3, DELETE_REASON);
                update.setObject(4, now);
                update.setObject(5, row.id());
                update.setObject(6, tenantId);
                deleted = single(update, row.id());
            }
            audit(connection, requestId, "soft_delete", deleted.id(), HandAudit.updateDiff(row.columns(), deleted.columns()));
            return deleted;
        });
    }

    @Override
    public Object tenMutations() {
        return inTransaction((connection, requestId) -> {
            Note last = null;
            for (int i = 0; i < 5; i++) {
                Note inserted = insert(connection, requestId, nextTitle());
                last = update(connection, requestId, inserted, nextTitle(), nextPriority());
            }
            return last;
        });
    }

    private Note insert(Connection connection, String requestId, String title) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Note inserted;
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, tenantId);
            insert.setObject(2, UUIDS.generate());
            insert.setString(3, title);
            insert.setString(4, BODY);
            insert.setObject(5, now);
            insert.setObject(6, now);
            inserted = single(insert, null);
        }
        audit(connection, requestId, "insert", inserted.id(), HandAudit.insertDiff(inserted.columns()));
        return inserted;
    }

    private Note update(Connection connection, String requestId, Note row, String title, int priority) throws SQLException {
        Note updated;
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setString(1, title);
            update.setInt(2, priority);
            update.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            update.setObject(4, row.id());
            update.setObject(5, tenantId);
            update.setInt(6, row.version());
            updated = single(update, row.id());
        }
        audit(connection, requestId, "update", updated.id(), HandAudit.updateDiff(row.columns(), updated.columns()));
        return updated;
    }

    private static Note single(PreparedStatement statement, UUID id) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("No live plain_notes row " + id + " at the version read");
            }
            return Note.read(rs);
        }
    }

    private void audit(Connection connection, String requestId, String action, UUID entityId, String diff) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(AUDIT)) {
            insert.setObject(1, tenantId);
            insert.setObject(2, UUID.randomUUID());
            insert.setString(3, action);
            insert.setString(4, HandAudit.ENTITY_TYPE);
            insert.setObject(5, entityId);
            insert.setString(6, diff);
            insert.setString(7, HandAudit.META);
            insert.setString(8, requestId);
            insert.executeUpdate();
        }
    }
}
