package io.taskbound.dashboard;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the Taskbound dashboard. Without Spring Security, access needs {@code username}
 * and {@code password} (HTTP Basic), or {@code allow-anonymous}; with neither, every request is
 * refused, so that job data and actions are never open by accident.
 *
 * @param enabled whether to serve the dashboard and its API
 * @param path path under which the dashboard is served, its API under {@code path + "/api"};
 *     starts with a slash and does not end with one
 * @param username user name that HTTP Basic requires, when Spring Security is absent
 * @param password password that HTTP Basic requires, when Spring Security is absent
 * @param allowAnonymous whether to let anyone use the dashboard without credentials, when Spring
 *     Security is absent and no username is set; for local development only
 */
@ConfigurationProperties("taskbound.dashboard")
public record TaskboundDashboardProperties(
        @DefaultValue("true") boolean enabled,

        @DefaultValue(TaskboundDashboardProperties.DEFAULT_PATH)
        String path,

        @Nullable String username,
        @Nullable String password,
        @DefaultValue("false") boolean allowAnonymous) {

    /** Where the dashboard is served unless {@code taskbound.dashboard.path} says otherwise. */
    public static final String DEFAULT_PATH = "/taskbound";

    public TaskboundDashboardProperties {
        if (path == null || path.isBlank()) {
            path = DEFAULT_PATH;
        }
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("*") || path.contains("{")) {
            throw new IllegalArgumentException("taskbound.dashboard.path must start with a slash, not end with one and"
                    + " hold no pattern, such as /taskbound; was \"" + path + "\"");
        }
        username = blankToNull(username);
        password = password == null || password.isEmpty() ? null : password;
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("taskbound.dashboard.username and taskbound.dashboard.password go"
                    + " together: set both for HTTP Basic, or neither (was only the "
                    + (username == null ? "password" : "username") + ")");
        }
    }

    /** Whether HTTP Basic credentials are configured. */
    boolean hasCredentials() {
        return username != null;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
