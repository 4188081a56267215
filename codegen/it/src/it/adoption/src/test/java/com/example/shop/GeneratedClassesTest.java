package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.shop.db.Tables;
import com.example.shop.db.tables.records.OrdersRecord;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The generated classes compile, with one field per column, and nothing of pgcrypto's. */
class GeneratedClassesTest {

    @Test
    void bothTimestampColumnsHaveTheirOwnFieldsAndAccessors() {
        assertEquals("created_at", Tables.ORDERS.CREATED_AT.getName());
        assertEquals("createdAt", Tables.ORDERS.CREATED_AT_PRISMA.getName());
        OffsetDateTime now = OffsetDateTime.now();
        OrdersRecord order = new OrdersRecord().setCreatedAt(now).setCreatedAtPrisma(now.minusDays(1));
        assertEquals(now, order.getCreatedAt());
        assertEquals(now.minusDays(1), order.getCreatedAtPrisma());
    }

    @Test
    void theExtensionsRoutinesAreNotGenerated() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.shop.db.Routines"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.shop.db.routines.Digest1"));
    }
}
