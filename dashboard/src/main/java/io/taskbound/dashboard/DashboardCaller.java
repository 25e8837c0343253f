package io.taskbound.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard knows of the one calling it, for {@code GET /api/session}: one answer where
 * the dashboard's own filter guards it, another under Spring Security.
 */
interface DashboardCaller {

    /** The signed-in user's name, or null when anonymous. */
    @Nullable
    String user(HttpServletRequest request);

    /** Whether the caller may change jobs and lanes, not only read them. */
    boolean canManage(HttpServletRequest request);

    /** The CSRF token that requests which change something must send back, or null if none is needed. */
    DashboardSessionApi.@Nullable Csrf csrf(HttpServletRequest request);

    /**
     * Without Spring Security: whoever got past {@link DashboardAccessFilter} may do everything, and
     * its cross-site check needs no token.
     */
    DashboardCaller UNSECURED = new DashboardCaller() {
        @Override
        public @Nullable String user(HttpServletRequest request) {
            return request.getUserPrincipal() == null
                    ? null
                    : request.getUserPrincipal().getName();
        }

        @Override
        public boolean canManage(HttpServletRequest request) {
            return true;
        }

        @Override
        public DashboardSessionApi.@Nullable Csrf csrf(HttpServletRequest request) {
            return null;
        }
    };
}
