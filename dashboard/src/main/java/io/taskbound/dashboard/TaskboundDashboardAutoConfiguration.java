package io.taskbound.dashboard;

import io.taskbound.Jobs;
import io.taskbound.autoconfigure.TaskboundAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of the Taskbound dashboard: its REST API under {@code taskbound.dashboard.path}
 * + {@code /api}, in a servlet web application that runs Taskbound; where Spring Security is absent,
 * the filter that guards it, and where it is present, a filter chain of the dashboard's own. After
 * Spring Boot's web security, so that Boot's default chain for the rest of the application is not
 * withheld because the dashboard's chain exists.
 */
@AutoConfiguration(
        after = TaskboundAutoConfiguration.class,
        afterName = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(Jobs.class)
@ConditionalOnBooleanProperty(name = "taskbound.dashboard.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TaskboundDashboardProperties.class)
@Import({
    DashboardApiConfiguration.class,
    DashboardSessionConfiguration.class,
    DashboardUiConfiguration.class,
    DashboardAccessConfiguration.class,
    DashboardSecurityConfiguration.class
})
public final class TaskboundDashboardAutoConfiguration {}
