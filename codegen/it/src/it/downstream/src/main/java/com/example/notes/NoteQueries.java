package com.example.notes;

import static com.example.notes.db.Tables.NOTES;

import com.example.notes.db.enums.NotesStatus;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.impl.DSL;

/** Service code written against the generated classes and sentinel-core's. */
public final class NoteQueries {

    private NoteQueries() {
    }

    /**
     * Published notes with the slug of their tenant, joined through the foreign key into Sentinel's
     * tenants table.
     *
     * @return the query
     */
    public static Select<?> publishedWithTenantSlug() {
        DSLContext dsl = DSL.using(SQLDialect.POSTGRES);
        return dsl.select(NOTES.BODY, NOTES.tenants().SLUG)
                .from(NOTES)
                .where(NOTES.STATUS.eq(NotesStatus.PUBLISHED));
    }
}
