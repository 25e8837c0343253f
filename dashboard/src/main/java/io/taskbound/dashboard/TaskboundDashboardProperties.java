package io.taskbound.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the Taskbound dashboard. Without Spring Security, access needs {@code username}
 * and {@code password} (HTTP Basic), or {@code allow-anonymous}; with neither, every request is
 * refused, so that job data and actions are never open by accident. With Spring Security, the
 * application's users sign in and {@code role} and {@code read-only-role} decide what they may do;
 * {@code username}, {@code password} and {@code allow-anonymous} are then ignored.
 *
 * @param enabled whether to serve the dashboard and its API
 * @param path path under which the dashboard is served, its API under {@code path + "/api"};
 *     starts with a slash and does not end with one
 * @param username user name that HTTP Basic requires, when Spring Security is absent
 * @param password password that HTTP Basic requires, when Spring Security is absent
 * @param allowAnonymous whether to let anyone use the dashboard without credentials, when Spring
 *     Security is absent and no username is set; for local development only
 * @param role role, without the {@code ROLE_} prefix, that a user needs to read and change jobs
 *     and lanes, when Spring Security is present
 * @param readOnlyRole role, without the {@code ROLE_} prefix, that lets a user read everything and
 *     change nothing, when Spring Security is present
 */
@ConfigurationProperties("taskbound.dashboard")
public record TaskboundDashboardProperties(
        @DefaultValue("true") boolean enabled,

        @DefaultValue(TaskboundDashboardProperties.DEFAULT_PATH)
        String path,

        @Nullable String username,
        @Nullable String password,
        @DefaultValue("false") boolean allowAnonymous,

        @DefaultValue(TaskboundDashboardProperties.DEFAULT_ROLE)
        String role,

        @DefaultValue(TaskboundDashboardProperties.DEFAULT_READ_ONLY_ROLE)
        String readOnlyRole) {

    /** Where the dashboard is served unless {@code taskbound.dashboard.path} says otherwise. */
    public static final String DEFAULT_PATH = "/taskbound";

    /** The role that may manage jobs under Spring Security unless {@code taskbound.dashboard.role} says otherwise. */
    public static final String DEFAULT_ROLE = "TASKBOUND_ADMIN";

    /** The role that may only read under Spring Security unless {@code taskbound.dashboard.read-only-role} says otherwise. */
    public static final String DEFAULT_READ_ONLY_ROLE = "TASKBOUND_VIEWER";

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
        role = checkRole("role", role, DEFAULT_ROLE);
        readOnlyRole = checkRole("read-only-role", readOnlyRole, DEFAULT_READ_ONLY_ROLE);
    }

    /**
     * The properties set that apply only without Spring Security, as {@code name=value} with
     * the password hidden: with Spring Security they are ignored, which the application is told.
     */
    List<String> setForBasicAccess() {
        List<String> set = new ArrayList<>();
        if (username != null) {
            set.add("taskbound.dashboard.username=" + username);
        }
        if (password != null) {
            set.add("taskbound.dashboard.password=(hidden)");
        }
        if (allowAnonymous) {
            set.add("taskbound.dashboard.allow-anonymous=true");
        }
        return set;
    }

    private static String checkRole(String property, @Nullable String role, String defaultRole) {
        if (role == null || role.isBlank()) {
            return defaultRole;
        }
        // Spring Security's hasRole adds the prefix itself and refuses a role that already has it.
        if (role.startsWith("ROLE_") || role.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("taskbound.dashboard." + property + " is a role name without the"
                    + " ROLE_ prefix and without spaces, such as " + defaultRole + "; was \"" + role + "\"");
        }
        return role;
    }

    /** Whether HTTP Basic credentials are configured. */
    boolean hasCredentials() {
        return username != null;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
