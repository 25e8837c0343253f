package io.taskbound.autoconfigure;

import io.taskbound.JobExecutor;
import io.taskbound.JobListener;
import io.taskbound.Jobs;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.registry.JobRegistry;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class TaskboundEngineConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JobRegistry taskboundJobRegistry(TaskboundProperties properties) {
        return new JobRegistry(properties.toSettings(Runtime.getRuntime().availableProcessors()));
    }

    @Bean
    static JobMethodRegistrar taskboundJobMethodRegistrar(
            ApplicationContext context, ObjectProvider<JobRegistry> registry) {
        return new JobMethodRegistrar(context, registry);
    }

    @Bean
    @ConditionalOnMissingBean
    TaskboundEngine taskboundEngine(
            JobRegistry registry,
            TaskboundProperties properties,
            DataSource dataSource,
            EntityManagerFactory entityManagerFactory,
            PlatformTransactionManager transactionManager,
            ObjectProvider<JsonMapper> jsonMapper,
            ObjectProvider<JobListener> listeners,
            ListableBeanFactory beans,
            ObjectProvider<TaskboundEngineCustomizer> customizers) {
        // Listeners are looked up when the engine starts: a listener may itself depend on Jobs.
        TaskboundEngine.Builder builder = TaskboundEngine.builder()
                .registry(registry)
                .dataSource(dataSource)
                .entityManagerFactory(entityManagerFactory)
                .transactionManager(transactionManager)
                .listeners(() -> listeners.orderedStream().toList());
        jsonMapper.ifAvailable(builder::objectMapper);
        // Before the customizers, so that one calling processWorkers itself replaces the properties.
        builder.processWorkers(properties::processWorkers);
        // Each JobExecutor bean under its bean name, for the lanes whose executor property names it.
        beans.getBeansOfType(JobExecutor.class).forEach(builder::executor);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    Jobs taskboundJobs(TaskboundEngine engine) {
        return engine.jobs();
    }
}
