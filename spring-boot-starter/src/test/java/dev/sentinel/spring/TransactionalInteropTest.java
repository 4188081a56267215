package dev.sentinel.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TransactionConflictException;
import dev.sentinel.testing.SentinelDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code @Transactional} interop, decided as: refused. Sentinel commits its own transactions on its
 * own connections, so inside a Spring transaction on the same DataSource its writes would survive
 * the Spring transaction's rollback. The call fails before anything is written, with a message that
 * says what to do; outside a Spring transaction (or with propagation NOT_SUPPORTED) it works.
 */
class TransactionalInteropTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor ADMIN = Actor.service("admin");

    @Test
    void sentinelInsideASpringTransactionOnTheSameDataSourceIsRefusedAndWritesNothing() {
        StarterFixture.runner(db).run(context -> {
            Sentinel sentinel = context.getBean(Sentinel.class);
            TransactionTemplate spring = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            String slug = "refused-" + UUID.randomUUID();

            assertThatThrownBy(() -> spring.executeWithoutResult(status -> createTenant(sentinel, slug)))
                    .isInstanceOf(TransactionConflictException.class)
                    .hasMessageContaining("inside a Spring-managed transaction")
                    .hasMessageContaining("remove @Transactional");
            assertThat(tenantExists(sentinel, slug)).describedAs("nothing written").isFalse();
        });
    }

    @Test
    void outsideASpringTransactionOrWithPropagationNotSupportedSentinelWorks() {
        StarterFixture.runner(db).run(context -> {
            Sentinel sentinel = context.getBean(Sentinel.class);
            TransactionTemplate notSupported = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            notSupported.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
            String slug = "allowed-" + UUID.randomUUID();

            notSupported.executeWithoutResult(status -> createTenant(sentinel, slug));

            assertThat(tenantExists(sentinel, slug)).isTrue();
        });
    }

    private static void createTenant(Sentinel sentinel, String slug) {
        sentinel.system(ADMIN).useTransaction(tx -> tx.dsl()
                .execute("insert into sentinel.tenants (id, slug, name) values (?, ?, 'Acme')", UUID.randomUUID(), slug));
    }

    private static boolean tenantExists(Sentinel sentinel, String slug) {
        return sentinel.system(ADMIN).inTransaction(tx -> tx.dsl()
                .fetchExists(tx.dsl().selectOne().from("sentinel.tenants").where("slug = ?", slug)));
    }
}
