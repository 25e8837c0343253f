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
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class TaskboundEngineConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JobRegistry taskboundJobRegistry(TaskboundProperties properties) {
        return new JobRegistry(properties.toSettings(Runtime.getRuntime().availableProcessors()));
    }

    // A worker JVM registers no jobs: it runs what its lane hands it, on beans made as they are asked for.
    @Bean
    @ConditionalOnBooleanProperty(name = "taskbound.worker", havingValue = false, matchIfMissing = true)
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
            ObjectProvider<TaskboundEngineCustomizer> customizers,
            ApplicationContext context,
            ConfigurableEnvironment environment,
            TaskboundAdvisorProperties advisor) {
        // Listeners are looked up when the engine starts: a listener may itself depend on Jobs.
        TaskboundEngine.Builder builder = TaskboundEngine.builder()
                .registry(registry)
                .dataSource(dataSource)
                .entityManagerFactory(entityManagerFactory)
                .transactionManager(transactionManager)
                .listeners(() -> listeners.orderedStream().toList());
        jsonMapper.ifAvailable(builder::objectMapper);
        // In a worker JVM the engine only serves Jobs to the beans that use it; its lane runs the jobs.
        boolean worker = environment.getProperty("taskbound.worker", Boolean.class, false);
        builder.autoStartup(!worker);
        if (!worker) {
            builder.workerBoot(SpringWorkerBoot.of(context, environment));
        }
        // Before the customizers, so that one calling processWorkers itself replaces the properties.
        builder.processWorkers(properties::processWorkers);
        builder.jobLogger(properties.jobLogger());
        builder.advisor(advisor.toSettings());
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
