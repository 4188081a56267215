package com.example.notes;

import static com.example.notes.db.Tables.NOTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.notes.db.Keys;
import com.example.notes.db.enums.NotesStatus;
import dev.sentinel.core.db.tables.Tenants;
import org.jooq.ForeignKey;
import org.junit.jupiter.api.Test;

/** The generated classes, compiled against sentinel-core, behave as a service expects. */
class GeneratedClassesTest {

    @Test
    void theForeignKeyToTenantsIsSentinelCoresKey() {
        ForeignKey<?, ?> key = Keys.NOTES__NOTES_TENANT_ID_FKEY;
        assertSame(dev.sentinel.core.db.Keys.TENANTS_PKEY, key.getKey());
        assertSame(Tenants.TENANTS, key.getKey().getTable());
        assertSame(Tenants.TENANTS.ID, key.getKeyFields().get(0));
    }

    @Test
    void theImplicitJoinReachesSentinelsTenantsTable() {
        String sql = NoteQueries.publishedWithTenantSlug().getSQL();
        assertTrue(sql.contains("\"sentinel\".\"tenants\""), sql);
        assertTrue(sql.contains("\"public\".\"notes\""), sql);
    }

    @Test
    void theClosedSetIsAnEnumBoundByItsLiteral() {
        assertEquals(NotesStatus.class, NOTES.STATUS.getType());
        assertEquals("published", NotesStatus.PUBLISHED.literal());
        String sql = NoteQueries.publishedWithTenantSlug().getSQL(org.jooq.conf.ParamType.INLINED);
        assertTrue(sql.contains("'published'"), sql);
    }

    @Test
    void sentinelsOwnTablesAreNotGeneratedHere() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.notes.db.tables.Tenants"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.notes.db.SentinelSchema"));
    }
}
