package io.taskbound.store;

import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.spi.SchemaFilter;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;

/**
 * Keeps Hibernate's schema tool ({@code ddl-auto}) away from the job store's tables, which Flyway
 * owns: an application on {@code create-drop} must not drop its queued jobs. Validation still
 * covers them, so that a mapping that drifts from the migrations fails at start-up.
 */
public final class TaskboundSchemaFilterProvider implements SchemaFilterProvider {

    private static final SchemaFilter EXCLUDE_TASKBOUND = new SchemaFilter() {
        @Override
        public boolean includeNamespace(Namespace namespace) {
            return true;
        }

        @Override
        public boolean includeTable(Table table) {
            return !TaskboundSchema.owns(table.getName());
        }

        @Override
        public boolean includeSequence(Sequence sequence) {
            return true;
        }
    };

    @Override
    public SchemaFilter getCreateFilter() {
        return EXCLUDE_TASKBOUND;
    }

    @Override
    public SchemaFilter getDropFilter() {
        return EXCLUDE_TASKBOUND;
    }

    @Override
    public SchemaFilter getTruncatorFilter() {
        return EXCLUDE_TASKBOUND;
    }

    @Override
    public SchemaFilter getMigrateFilter() {
        return EXCLUDE_TASKBOUND;
    }

    @Override
    public SchemaFilter getValidateFilter() {
        return SchemaFilter.ALL;
    }
}
