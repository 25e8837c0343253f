package io.taskbound.autoconfigure;

import io.taskbound.engine.TaskboundEngine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("taskbound")
class TaskboundHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "taskboundHealthIndicator")
    TaskboundHealthIndicator taskboundHealthIndicator(TaskboundEngine engine) {
        return new TaskboundHealthIndicator(engine);
    }
}
