package io.taskbound.dashboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Access control where Spring Security's configuration ({@code spring-security-config}, which every
 * Spring Security setup of a Spring Boot application needs) is absent. Where it is present, this
 * filter is not installed: the dashboard is under the application's security, with a chain of its
 * own (see {@link DashboardSecurityConfiguration}). An application with {@code spring-security-web}
 * alone has no chain in front of anything, and gets this filter.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingClass(DashboardSecurityConfiguration.HTTP_SECURITY)
class DashboardAccessConfiguration {

    static final String SPRING_SECURITY = "org.springframework.security.web.SecurityFilterChain";

    /** Early, right after a {@code ForwardedHeaderFilter} (the first of all), so that nothing runs before access is decided. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final Logger log = LoggerFactory.getLogger(DashboardAccessConfiguration.class);

    @Bean
    FilterRegistrationBean<DashboardAccessFilter> taskboundDashboardAccessFilter(
            TaskboundDashboardProperties properties, ObjectProvider<DispatcherServletPath> servletPath) {
        DashboardAccessFilter filter = new DashboardAccessFilter(properties);
        // Under the dispatcher servlet's own path, if it has one: the filter must guard the URLs the
        // API really answers on.
        DispatcherServletPath dispatcher = servletPath.getIfAvailable();
        String path = dispatcher == null ? properties.path() : dispatcher.getRelativePath(properties.path());
        FilterRegistrationBean<DashboardAccessFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("taskboundDashboardAccessFilter");
        registration.addUrlPatterns(path, path + "/*");
        registration.setOrder(ORDER);
        switch (filter.access()) {
            case ANONYMOUS ->
                log.warn(
                        "The Taskbound dashboard at {} is open to anyone: taskbound.dashboard.allow-anonymous=true lets"
                                + " every request read and change jobs without credentials. Use it for local"
                                + " development only; set taskbound.dashboard.username and password instead",
                        path);
            case REFUSED ->
                log.info(
                        "The Taskbound dashboard at {} refuses every request until access is configured: set"
                                + " taskbound.dashboard.username and taskbound.dashboard.password",
                        path);
            case BASIC -> log.debug("The Taskbound dashboard at {} takes HTTP Basic", path);
        }
        return registration;
    }
}
