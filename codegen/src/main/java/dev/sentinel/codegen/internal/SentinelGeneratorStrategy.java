package dev.sentinel.codegen.internal;

import dev.sentinel.schema.SchemaNames;
import org.jooq.codegen.DefaultGeneratorStrategy;
import org.jooq.meta.CatalogDefinition;
import org.jooq.meta.Definition;
import org.jooq.meta.SchemaDefinition;

/**
 * jOOQ's default naming, with two changes.
 *
 * <p>A schema's class is suffixed {@code Schema}: the schema {@code sentinel} becomes
 * {@code SentinelSchema} rather than {@code Sentinel}, which would shadow the library's entry
 * class, and {@code public} becomes {@code PublicSchema}.
 *
 * <p>When a project's schema is generated together with Sentinel's (two input schemata), the
 * schema name is not added to the package. Sentinel's objects are named exactly as sentinel-core
 * names them ({@value #CORE_PACKAGE}, single-schema layout), and the project's go straight into the
 * target package. The plugin keeps only the project's files; references from them to Sentinel's
 * tables and keys (a foreign key to {@code sentinel.tenants}) then point at sentinel-core's classes.
 */
public class SentinelGeneratorStrategy extends DefaultGeneratorStrategy {

    /** The package of the classes that sentinel-core generates for Sentinel's schema. */
    public static final String CORE_PACKAGE = "dev.sentinel.core.db";

    /** Creates the strategy; jOOQ instantiates it by name. */
    public SentinelGeneratorStrategy() {
    }

    @Override
    public String getJavaClassName(Definition definition, Mode mode) {
        String name = super.getJavaClassName(definition, mode);
        if (definition instanceof SchemaDefinition && mode == Mode.DEFAULT) {
            return name + "Schema";
        }
        return name;
    }

    @Override
    public String getJavaPackageName(Definition definition, Mode mode) {
        String name = super.getJavaPackageName(definition, mode);
        SchemaDefinition schema = definition.getSchema();
        if (definition instanceof CatalogDefinition || schema == null
                || definition.getDatabase().getSchemata().size() < 2) {
            return name;
        }
        String schemaPackage = super.getJavaPackageName(schema, Mode.DEFAULT);
        if (!name.equals(schemaPackage) && !name.startsWith(schemaPackage + ".")) {
            return name;
        }
        String root = SchemaNames.SCHEMA.equals(schema.getInputName()) ? CORE_PACKAGE : getTargetPackage();
        return root + name.substring(schemaPackage.length());
    }
}
