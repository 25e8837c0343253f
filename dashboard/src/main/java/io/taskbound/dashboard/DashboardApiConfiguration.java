package io.taskbound.dashboard;

import io.taskbound.Jobs;
import io.taskbound.engine.TaskboundEngine;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerTypePredicate;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class DashboardApiConfiguration {

    /** The API's controllers: mapped under the API's path, their errors written as its JSON. */
    static final List<Class<?>> API =
            List.of(DashboardApi.class, EnqueueApi.class, ScheduleApi.class, LiveApi.class, DashboardSessionApi.class);

    @Bean
    DashboardApi taskboundDashboardApi(Jobs jobs, ObjectProvider<TaskboundEngine> engine) {
        return new DashboardApi(jobs, new LaneViews(jobs, engine.getIfAvailable()));
    }

    @Bean
    EnqueueApi taskboundDashboardEnqueueApi(
            Jobs jobs, ObjectProvider<TaskboundEngine> engine, TaskboundDashboardProperties properties) {
        TaskboundEngine node = engine.getIfAvailable();
        return new EnqueueApi(jobs, new JobTypes(node), new LaneViews(jobs, node), new ApiLocations(properties));
    }

    @Bean
    ScheduleApi taskboundDashboardScheduleApi(
            Jobs jobs, ObjectProvider<TaskboundEngine> engine, TaskboundDashboardProperties properties) {
        return new ScheduleApi(jobs, new JobTypes(engine.getIfAvailable()), new ApiLocations(properties));
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
                        HandlerTypePredicate.forAssignableType(API.toArray(Class<?>[]::new)));
            }
        };
    }
}
