package io.taskbound.autoconfigure;

import io.taskbound.engine.TaskboundEngine;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Taskbound: the job store's schema and entities in the application's own
 * persistence unit, the engine, the {@link io.taskbound.Jobs} API, and a health contributor.
 */
@AutoConfiguration(after = HibernateJpaAutoConfiguration.class)
@ConditionalOnClass({TaskboundEngine.class, EntityManagerFactory.class})
@ConditionalOnBooleanProperty(name = "taskbound.enabled", matchIfMissing = true)
@ConditionalOnBean(EntityManagerFactory.class)
@EnableConfigurationProperties({TaskboundProperties.class, TaskboundAdvisorProperties.class})
@Import({
    TaskboundPersistenceConfiguration.class,
    TaskboundEngineConfiguration.class,
    TaskboundHealthConfiguration.class,
    TaskboundEndpointConfiguration.class
})
public final class TaskboundAutoConfiguration {}
