package io.taskbound.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.Jobs;
import io.taskbound.dashboard.TaskboundDashboardAutoConfiguration;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application with {@code spring-security-web} but not its configuration has no Spring Security
 * chain in front of anything: the dashboard's own filter must guard it, or it would be open.
 */
class DashboardWebOnlyTests {

    @Configuration(proxyBeanMethods = false)
    static class WithJobs {
        @Bean
        Jobs jobs() {
            return (Jobs) Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {Jobs.class},
                    (proxy, method, arguments) -> switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == arguments[0];
                        case "toString" -> "Jobs that are never called";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void withSpringSecurityWebAloneTheDashboardsOwnFilterGuardsIt() {
        new WebApplicationContextRunner()
                .withClassLoader(new FilteredClassLoader(HttpSecurity.class))
                .withConfiguration(AutoConfigurations.of(TaskboundDashboardAutoConfiguration.class))
                .withUserConfiguration(WithJobs.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(SecurityFilterChain.class);
                    FilterRegistrationBean<?> filter = context.getBean(FilterRegistrationBean.class);
                    assertThat(filter.getFilter().getClass().getSimpleName()).isEqualTo("DashboardAccessFilter");
                    assertThat(filter.getUrlPatterns()).containsExactlyInAnyOrder("/taskbound", "/taskbound/*");
                });
    }
}
