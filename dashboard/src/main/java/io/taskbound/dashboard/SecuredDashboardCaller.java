package io.taskbound.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * The caller as Spring Security knows it. The CSRF token is the one the chain put on the request,
 * as its request handler renders it, so that the same handler accepts it back in the header.
 */
final class SecuredDashboardCaller implements DashboardCaller {

    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();
    private final AuthorityAuthorizationManager<HttpServletRequest> manager;

    SecuredDashboardCaller(String role) {
        this.manager = AuthorityAuthorizationManager.hasRole(role);
    }

    @Override
    public @Nullable String user(HttpServletRequest request) {
        Authentication authentication = authentication();
        return authentication == null ? null : authentication.getName();
    }

    @Override
    public boolean canManage(HttpServletRequest request) {
        Authentication authentication = authentication();
        return authentication != null
                && manager.authorize(() -> authentication, request).isGranted();
    }

    @Override
    public DashboardSessionApi.@Nullable Csrf csrf(HttpServletRequest request) {
        if (!(request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)) {
            return null;
        }
        return new DashboardSessionApi.Csrf(token.getHeaderName(), token.getToken());
    }

    private @Nullable Authentication authentication() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !trust.isAuthenticated(authentication) ? null : authentication;
    }
}
