package io.taskbound.dashboard;

import io.taskbound.Jobs;
import io.taskbound.engine.TaskboundEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerTypePredicate;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class DashboardApiConfiguration {

    @Bean
    DashboardApi taskboundDashboardApi(Jobs jobs, ObjectProvider<TaskboundEngine> engine) {
        return new DashboardApi(jobs, new LaneViews(jobs, engine.getIfAvailable()));
    }

    @Bean
    DashboardErrors taskboundDashboardErrors() {
        return new DashboardErrors();
    }

    /**
     * Puts the API's mappings under the configured path. A prefix on the handler type, rather than
     * a placeholder in its {@code @RequestMapping}, so that the path is the one the properties
     * record validated and the access filter guards.
     */
    @Bean
    WebMvcConfigurer taskboundDashboardPaths(TaskboundDashboardProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void configurePathMatch(PathMatchConfigurer configurer) {
                configurer.addPathPrefix(
                        properties.path() + "/api",
                        HandlerTypePredicate.forAssignableType(DashboardApi.class, DashboardSessionApi.class));
            }
        };
    }
}
