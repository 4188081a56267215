package dev.sentinel.spring;

import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.secrets.SecretKey;
import dev.sentinel.core.secrets.SecretKeys;
import dev.sentinel.schema.Roles;
import dev.sentinel.spring.internal.FlywayAfterSentinel;
import dev.sentinel.spring.internal.HeaderTenantResolver;
import dev.sentinel.spring.internal.JobWorkersLifecycle;
import dev.sentinel.spring.internal.ScopeArgumentResolver;
import dev.sentinel.spring.internal.SentinelHealthIndicator;
import dev.sentinel.spring.internal.SpringTransactionGuard;
import dev.sentinel.spring.internal.SystemPool;
import dev.sentinel.spring.internal.TraceContextFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Sentinel's auto-configuration: the {@code Sentinel} bean over Boot's {@code DataSource}
 * (the application role), migrated at start-up over a direct owner connection
 * ({@code sentinel.owner.*}) before any {@code Flyway} bean runs; job workers for the
 * {@link SentinelJob} beans, started and drained with the context; with Spring MVC, a {@code Scope}
 * argument for controllers, problem details and the trace context filter; with Boot's health
 * support, the {@code sentinel} health indicator; with Micrometer, Sentinel's meters in the
 * application's registry. Every bean backs off when the service declares its own.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class,
        beforeName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(Sentinel.class)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(SentinelProperties.class)
public class SentinelAutoConfiguration {

    /** The name of the {@code Sentinel} bean, which {@code Flyway} beans are made to depend on. */
    public static final String SENTINEL_BEAN = "sentinel";

    /** Creates the configuration; Spring does. */
    public SentinelAutoConfiguration() {
    }

    /**
     * Makes every {@code Flyway} bean wait for the {@code Sentinel} bean, and so for its migrations.
     *
     * @return the post-processor
     */
    @Bean
    static FlywayAfterSentinel sentinelFlywayOrder() {
        return new FlywayAfterSentinel(SENTINEL_BEAN);
    }

    /**
     * The system scope's own pool, as the system role, when {@code sentinel.system.username} is set.
     *
     * @param properties the {@code sentinel.*} properties
     * @param environment for {@code spring.datasource.url}, the pool's default URL
     * @return the pool, closed with the context after the Sentinel
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = "sentinel.system", name = "username")
    static SystemPool sentinelSystemPool(SentinelProperties properties, Environment environment) {
        SentinelProperties.SystemPool system = properties.getSystem();
        return new SystemPool(system.getUrl() != null ? system.getUrl() : environment.getRequiredProperty("spring.datasource.url"),
                system.getUsername(), system.getPassword(), system.getMaximumPoolSize());
    }

    /**
     * The Sentinel: validated, migrated (with an owner username) and role-checked at start-up,
     * closed with the context. Boot's DataSource is given to it wrapped so that a call inside a
     * Spring-managed transaction on that DataSource is refused (see docs/recipes.md); the system
     * scope runs on its own pool ({@code sentinel.system.*}).
     *
     * @param dataSource Boot's DataSource, as the application role
     * @param properties the {@code sentinel.*} properties
     * @param environment for {@code spring.datasource.url}, the owner connection's default URL
     * @param systemPool the system scope's pool, if {@code sentinel.system.username} is set
     * @param customizers the service's adjustments, applied last
     * @return the Sentinel
     */
    @Bean(name = SENTINEL_BEAN, destroyMethod = "close")
    @ConditionalOnMissingBean
    public Sentinel sentinel(DataSource dataSource, SentinelProperties properties, Environment environment,
            ObjectProvider<SystemPool> systemPool, ObjectProvider<SentinelBuilderCustomizer> customizers) {
        SentinelProperties.RoleNames names = properties.getRoles();
        Roles roles = new Roles(names.getOwner(), names.getApp(), names.getSystem());
        Sentinel.Builder builder = Sentinel.builder()
                .dataSource(new SpringTransactionGuard(dataSource))
                .roles(roles)
                .serviceSchema(properties.getServiceSchema());
        systemPool.ifAvailable(pool -> builder.systemDataSource(new SpringTransactionGuard(pool.dataSource(), dataSource)));
        SentinelProperties.Owner owner = properties.getOwner();
        if (owner.getUsername() != null && owner.isMigrate()) {
            PGSimpleDataSource direct = new PGSimpleDataSource();
            direct.setUrl(owner.getUrl() != null ? owner.getUrl() : environment.getRequiredProperty("spring.datasource.url"));
            direct.setUser(owner.getUsername());
            direct.setPassword(owner.getPassword());
            builder.migrateWith(direct).serviceMigrations(properties.getServiceMigrations().toArray(String[]::new));
        }
        SentinelProperties.Audit audit = properties.getAudit();
        if (audit.getKey() != null) {
            builder.auditKey(AuditKey.of(audit.getKey().getId(), decode(audit.getKey())));
            if (audit.getSealEvery() != null) {
                builder.sealAuditEvery(audit.getSealEvery());
            }
        }
        List<SentinelProperties.Key> keys = properties.getSecretKeys();
        if (!keys.isEmpty()) {
            SecretKey[] older = keys.stream().skip(1).map(key -> SecretKey.of(key.getId(), decode(key))).toArray(SecretKey[]::new);
            builder.secretKeys(SecretKeys.of(SecretKey.of(keys.getFirst().getId(), decode(keys.getFirst())), older));
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static byte[] decode(SentinelProperties.Key key) {
        try {
            return Base64.getDecoder().decode(key.getBase64() == null ? "" : key.getBase64());
        } catch (IllegalArgumentException e) {
            throw new dev.sentinel.core.ConfigurationException("sentinel: the key '" + key.getId() + "' is not Base64;"
                    + " give its material as Base64 (the value is not shown)");
        }
    }

    /**
     * Runs the {@link SentinelJob} handler beans, if any, from the context's start to its close.
     *
     * @param sentinel the Sentinel
     * @param properties the {@code sentinel.*} properties
     * @param context the context, for the handler beans
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public JobWorkersLifecycle sentinelJobWorkers(Sentinel sentinel, SentinelProperties properties, ApplicationContext context) {
        return new JobWorkersLifecycle(sentinel, properties.getJobs(), context);
    }

    /** Sentinel's meters in the application's Micrometer registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {

        @Bean
        SentinelBuilderCustomizer sentinelMetrics(ObjectProvider<MeterRegistry> registry) {
            return builder -> registry.ifUnique(builder::meterRegistry);
        }
    }

    /** The {@code sentinel} health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    static class HealthIndicator {

        @Bean
        @ConditionalOnMissingBean(name = "sentinelHealthIndicator")
        SentinelHealthIndicator sentinelHealthIndicator(Sentinel sentinel, DataSource dataSource, SentinelProperties properties) {
            return new SentinelHealthIndicator(sentinel, dataSource,
                    new Roles(properties.getRoles().getOwner(), properties.getRoles().getApp()), properties.getHealth(),
                    properties.getAudit().getKey() != null);
        }
    }

    /** Spring MVC: the {@code Scope} argument, problem details, the trace context. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(WebMvcConfigurer.class)
    static class Web {

        @Bean
        @ConditionalOnMissingBean
        TenantResolver sentinelTenantResolver(SentinelProperties properties) {
            return new HeaderTenantResolver(properties.getWeb().getTenantHeader(), properties.getWeb().getUserHeader());
        }

        @Bean
        WebMvcConfigurer sentinelScopeArgument(Sentinel sentinel, TenantResolver resolver, SentinelProperties properties) {
            HandlerMethodArgumentResolver scope = new ScopeArgumentResolver(sentinel, resolver, properties.getWeb().getRequestIdHeader());
            return new WebMvcConfigurer() {
                @Override
                public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(scope);
                }
            };
        }

        @Bean
        @ConditionalOnMissingBean
        SentinelProblemDetails sentinelProblemDetails() {
            return new SentinelProblemDetails();
        }

        @Bean
        TraceContextFilter sentinelTraceContextFilter() {
            return new TraceContextFilter();
        }
    }
}
