package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.Jobs;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * When the dashboard is configured, and how. A {@link Jobs} that is never called stands in for the
 * engine: these tests look at beans, not at jobs (the API's tests run on PostgreSQL).
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskboundDashboardAutoConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskboundDashboardAutoConfiguration.class))
            .withUserConfiguration(WithJobs.class);

    @Configuration(proxyBeanMethods = false)
    static class WithJobs {
        @Bean
        Jobs jobs() {
            return (Jobs) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Jobs.class}, (proxy, method, arguments) -> {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == arguments[0];
                            case "toString" -> "Jobs that are never called";
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    });
        }
    }

    @Test
    void servesTheApiAndGuardsItInAServletWebApplicationWithJobs() {
        contextRunner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DashboardApi.class);
            FilterRegistrationBean<?> filter = context.getBean(FilterRegistrationBean.class);
            assertThat(filter.getFilter()).isInstanceOf(DashboardAccessFilter.class);
            assertThat(filter.getUrlPatterns()).containsExactlyInAnyOrder("/taskbound", "/taskbound/*");
        });
    }

    @Test
    void guardsTheConfiguredPath() {
        contextRunner
                .withPropertyValues("taskbound.dashboard.path=/ops/jobs")
                .run(context -> assertThat(
                                context.getBean(FilterRegistrationBean.class).getUrlPatterns())
                        .containsExactlyInAnyOrder("/ops/jobs", "/ops/jobs/*"));
    }

    @Test
    void guardsTheApiUnderTheDispatcherServletsOwnPath() {
        contextRunner
                .withBean(DispatcherServletPath.class, () -> () -> "/app")
                .run(context -> assertThat(
                                context.getBean(FilterRegistrationBean.class).getUrlPatterns())
                        .containsExactlyInAnyOrder("/app/taskbound", "/app/taskbound/*"));
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner
                .withPropertyValues("taskbound.dashboard.enabled=false")
                .run(context -> assertThat(context)
                        .doesNotHaveBean(DashboardApi.class)
                        .doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void backsOffInAnApplicationThatIsNotAWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskboundDashboardAutoConfiguration.class))
                .withUserConfiguration(WithJobs.class)
                .run(context -> assertThat(context).doesNotHaveBean(DashboardApi.class));
    }

    @Test
    void backsOffWithoutJobs() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskboundDashboardAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(DashboardApi.class));
    }

    /** This module's tests are those of an application without it (see the pom); dashboard-security-tests has it. */
    @Test
    void theseTestsRunWithoutSpringSecurityOnTheClassPath() {
        assertThat(ClassUtils.isPresent(DashboardAccessConfiguration.SPRING_SECURITY, null))
                .isFalse();
        assertThat(ClassUtils.isPresent(DashboardSecurityConfiguration.HTTP_SECURITY, null))
                .isFalse();
    }

    @Test
    void warnsAtStartUpWhenOpenToAnyone(CapturedOutput output) {
        contextRunner
                .withPropertyValues("taskbound.dashboard.allow-anonymous=true")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("WARN", "The Taskbound dashboard at /taskbound is open to anyone");
    }

    @Test
    void refusesAUsernameWithoutAPassword() {
        contextRunner
                .withPropertyValues("taskbound.dashboard.username=admin")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining(
                                "taskbound.dashboard.username and taskbound.dashboard.password go" + " together"));
    }

    @Test
    void refusesARoleWithSpringSecuritysPrefix() {
        contextRunner
                .withPropertyValues("taskbound.dashboard.role=ROLE_OPS")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("taskbound.dashboard.role is a role name without the ROLE_ prefix")
                        .hasMessageContaining("\"ROLE_OPS\""));
    }

    @Test
    void refusesAPathThatIsNotOne() {
        contextRunner
                .withPropertyValues("taskbound.dashboard.path=taskbound/")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("\"taskbound/\""));
    }

    @Test
    void bindsTheDefaults() {
        contextRunner.run(context -> {
            TaskboundDashboardProperties properties = context.getBean(TaskboundDashboardProperties.class);
            assertThat(properties.enabled()).isTrue();
            assertThat(properties.path()).isEqualTo(TaskboundDashboardProperties.DEFAULT_PATH);
            assertThat(properties.username()).isNull();
            assertThat(properties.password()).isNull();
            assertThat(properties.allowAnonymous()).isFalse();
            assertThat(properties.role()).isEqualTo("TASKBOUND_ADMIN");
            assertThat(properties.readOnlyRole()).isEqualTo("TASKBOUND_VIEWER");
        });
    }
}
