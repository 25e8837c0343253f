package io.taskbound.autoconfigure;

import io.taskbound.store.TaskboundSchema;
import io.taskbound.store.TaskboundSchemaFilterProvider;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryBuilderCustomizer;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The job store inside the application's persistence unit: its entities are added to the unit,
 * its tables are migrated by Taskbound's own Flyway run before the EntityManagerFactory starts (and
 * after the application's own Flyway migrations, which would refuse a schema they find non-empty),
 * and Hibernate's {@code ddl-auto} is kept away from them.
 */
@Configuration(proxyBeanMethods = false)
class TaskboundPersistenceConfiguration {

    static final String SCHEMA_INITIALIZER = "taskboundSchemaInitializer";

    private static final String FLYWAY_INITIALIZER =
            "org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer";

    @Bean(SCHEMA_INITIALIZER)
    SchemaInitializer taskboundSchemaInitializer(DataSource dataSource, TaskboundProperties properties) {
        return new SchemaInitializer(dataSource, properties.migratesSchema());
    }

    @Bean
    static EntityManagerFactoryDependsOnPostProcessor taskboundEntityManagerFactoryDependsOnSchema() {
        return new EntityManagerFactoryDependsOnPostProcessor(SCHEMA_INITIALIZER);
    }

    @Bean
    static BeanFactoryPostProcessor taskboundSchemaAfterApplicationMigrations() {
        return TaskboundPersistenceConfiguration::runAfterApplicationFlyway;
    }

    @Bean
    EntityManagerFactoryBuilderCustomizer taskboundEntities() {
        return builder -> builder.addPersistenceUnitPostProcessors(unit -> {
            for (Class<?> entity : TaskboundSchema.ENTITIES) {
                if (!unit.getManagedClassNames().contains(entity.getName())) {
                    unit.addManagedClassName(entity.getName());
                }
            }
        });
    }

    @Bean
    HibernatePropertiesCustomizer taskboundSchemaFilter() {
        return properties -> properties.putIfAbsent(
                "hibernate.hbm2ddl.schema_filter_provider", TaskboundSchemaFilterProvider.class.getName());
    }

    private static void runAfterApplicationFlyway(ConfigurableListableBeanFactory beanFactory) {
        ClassLoader classLoader = beanFactory.getBeanClassLoader();
        if (!ClassUtils.isPresent(FLYWAY_INITIALIZER, classLoader)
                || !beanFactory.containsBeanDefinition(SCHEMA_INITIALIZER)) {
            return;
        }
        Class<?> flywayInitializer = ClassUtils.resolveClassName(FLYWAY_INITIALIZER, classLoader);
        String[] applicationMigrations = beanFactory.getBeanNamesForType(flywayInitializer, true, false);
        if (applicationMigrations.length == 0) {
            return;
        }
        BeanDefinition schema = beanFactory.getBeanDefinition(SCHEMA_INITIALIZER);
        Set<String> dependsOn = new LinkedHashSet<>();
        if (schema.getDependsOn() != null) {
            dependsOn.addAll(List.of(schema.getDependsOn()));
        }
        dependsOn.addAll(List.of(applicationMigrations));
        schema.setDependsOn(dependsOn.toArray(String[]::new));
    }

    /**
     * Migrates the job store's tables when the context starts, unless {@code taskbound.schema.migrate}
     * is off because the application applies the SQL itself.
     */
    static final class SchemaInitializer implements InitializingBean {

        private final DataSource dataSource;
        private final boolean migrate;

        SchemaInitializer(DataSource dataSource, boolean migrate) {
            this.dataSource = dataSource;
            this.migrate = migrate;
        }

        @Override
        public void afterPropertiesSet() {
            if (migrate) {
                TaskboundSchema.migrate(dataSource);
            }
        }
    }
}
