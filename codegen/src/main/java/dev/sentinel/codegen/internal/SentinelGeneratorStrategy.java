package dev.sentinel.codegen.internal;

import org.jooq.codegen.DefaultGeneratorStrategy;
import org.jooq.meta.Definition;
import org.jooq.meta.SchemaDefinition;

/**
 * jOOQ's default naming, except that a schema's class is suffixed {@code Schema}: the schema
 * {@code sentinel} becomes {@code SentinelSchema} rather than {@code Sentinel}, which would shadow
 * the library's entry class, and {@code public} becomes {@code PublicSchema}.
 */
public class SentinelGeneratorStrategy extends DefaultGeneratorStrategy {

    @Override
    public String getJavaClassName(Definition definition, Mode mode) {
        String name = super.getJavaClassName(definition, mode);
        if (definition instanceof SchemaDefinition && mode == Mode.DEFAULT) {
            return name + "Schema";
        }
        return name;
    }
}
