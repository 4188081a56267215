package dev.sentinel.spring;

import dev.sentinel.core.Sentinel;

/**
 * Adjusts the {@link Sentinel.Builder} before the starter builds the {@code Sentinel} bean: modules,
 * the service's own repositories as extensions, a clock, jOOQ listeners. Beans of this type are
 * applied in their {@link org.springframework.core.Ordered order}.
 *
 * <pre>{@code
 * @Bean
 * SentinelBuilderCustomizer notes() {
 *     return builder -> builder.extension(Notes.class, Notes::new);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SentinelBuilderCustomizer {

    /**
     * Adjusts the builder.
     *
     * @param builder the builder, with the starter's settings applied
     */
    void customize(Sentinel.Builder builder);
}
