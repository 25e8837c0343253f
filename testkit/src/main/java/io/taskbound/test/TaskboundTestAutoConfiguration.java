package io.taskbound.test;

import io.taskbound.autoconfigure.TaskboundAutoConfiguration;
import io.taskbound.autoconfigure.TaskboundProperties;
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
 * The test kit's beans, for tests annotated with {@link AutoConfigureTaskboundTest}: a {@link
 * TestClock} the engine runs on, a {@link TaskboundTester}, and in inline mode the executor of
 * every lane and the {@link io.taskbound.Jobs} that drains at enqueue. Before Taskbound's own
 * auto-configuration, whose job registry and {@code Jobs} these replace.
 */
@AutoConfiguration(after = HibernateJpaAutoConfiguration.class, before = TaskboundAutoConfiguration.class)
@ConditionalOnClass({TaskboundEngine.class, EntityManagerFactory.class})
@ConditionalOnBooleanProperty(name = "taskbound.enabled", matchIfMissing = true)
@ConditionalOnBean(EntityManagerFactory.class)
@EnableConfigurationProperties(TaskboundProperties.class)
@Import({TestEngineConfiguration.class, InlineConfiguration.class})
public final class TaskboundTestAutoConfiguration {}
