package io.taskbound.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * Access where Spring Security is present: a filter chain of the dashboard's own, for its path
 * only, under the application's authentication. A user the application knows (signed in through its
 * form login, so by its session, or by HTTP Basic against its {@code UserDetailsService}) reads with
 * {@code read-only-role} or {@code role}, and changes jobs and lanes with {@code role} only.
 *
 * <p>Requests that change something need Spring Security's CSRF token, which {@code GET
 * /api/session} hands out for a header: a token, not the {@code Origin}, so that it works behind a
 * reverse proxy whatever the application's forwarded-header settings. The token's cookie is
 * HttpOnly and named apart from the application's own; the value given out is masked afresh each
 * time (BREACH), which the {@link XorCsrfTokenRequestAttributeHandler} unmasks. Spring Security's
 * {@code csrf().spa()} would not do: it compares a header with the cookie's raw value.
 *
 * <p>An application replaces the chain by declaring a {@code SecurityFilterChain} bean named
 * {@value #CHAIN}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {DashboardAccessConfiguration.SPRING_SECURITY, DashboardSecurityConfiguration.HTTP_SECURITY})
class DashboardSecurityConfiguration {

    static final String HTTP_SECURITY = "org.springframework.security.config.annotation.web.builders.HttpSecurity";

    static final String CHAIN = "taskboundDashboardSecurityFilterChain";

    /**
     * Before the application's chains, which often match any request; the dashboard's matches its
     * path only, so it takes nothing from them.
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    static final String CSRF_COOKIE = "TASKBOUND-XSRF-TOKEN";

    private static final String REALM = "Taskbound dashboard";

    private static final Set<String> READS = Set.of("GET", "HEAD");

    private static final Logger log = LoggerFactory.getLogger(DashboardSecurityConfiguration.class);

    DashboardSecurityConfiguration(TaskboundDashboardProperties properties) {
        List<String> ignored = properties.setForBasicAccess();
        if (!ignored.isEmpty()) {
            log.warn(
                    "Ignoring {}: with Spring Security on the class path, the application's own security applies to"
                            + " the Taskbound dashboard at {}, which needs a signed-in user with role {} (or {} to"
                            + " read only). Remove these properties, or grant the roles to the application's users",
                    String.join(", ", ignored),
                    properties.path(),
                    properties.role(),
                    properties.readOnlyRole());
        }
    }

    @Bean(CHAIN)
    @ConditionalOnMissingBean(name = CHAIN)
    @Order(ORDER)
    SecurityFilterChain taskboundDashboardSecurityFilterChain(
            HttpSecurity http,
            TaskboundDashboardProperties properties,
            ObjectProvider<PathPatternRequestMatcher.Builder> paths)
            throws Exception {
        // Boot's builder carries the dispatcher servlet's path, if it has one.
        PathPatternRequestMatcher.Builder path = paths.getIfAvailable(PathPatternRequestMatcher::withDefaults);
        String role = properties.role();
        String readOnlyRole = properties.readOnlyRole();
        CookieCsrfTokenRepository tokens = new CookieCsrfTokenRepository();
        tokens.setCookieName(CSRF_COOKIE);
        http.securityMatcher(
                        new OrRequestMatcher(path.matcher(properties.path()), path.matcher(properties.path() + "/**")))
                .authorizeHttpRequests(
                        requests -> requests.requestMatchers(request -> READS.contains(request.getMethod()))
                                .hasAnyRole(role, readOnlyRole)
                                .anyRequest()
                                .hasRole(role))
                .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(this::unauthenticated))
                .csrf(csrf -> csrf.csrfTokenRepository(tokens)
                        .csrfTokenRequestHandler(new XorCsrfTokenRequestAttributeHandler()))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(this::unauthenticated)
                        .accessDeniedHandler((request, response, denied) -> {
                            String message = denied instanceof CsrfException
                                    ? "Missing or invalid CSRF token: a " + request.getMethod() + " to the Taskbound"
                                            + " dashboard needs the header and token that GET " + properties.path()
                                            + "/api/session gives, and the cookie it sets"
                                    : deniedMessage(request, role, readOnlyRole);
                            DashboardJson.refuse(response, HttpStatus.FORBIDDEN, message);
                        }))
                // A refused request is answered, not replayed after a login page: nothing to save.
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    DashboardCaller taskboundDashboardCaller(TaskboundDashboardProperties properties) {
        return new SecuredDashboardCaller(properties.role());
    }

    private void unauthenticated(HttpServletRequest request, HttpServletResponse response, Exception e)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        DashboardJson.refuse(
                response,
                HttpStatus.UNAUTHORIZED,
                "The Taskbound dashboard needs a signed-in user: sign in to the application, or send a user name"
                        + " and password of the application's by HTTP Basic");
    }

    private static String deniedMessage(HttpServletRequest request, String role, String readOnlyRole) {
        return READS.contains(request.getMethod())
                ? "Reading the Taskbound dashboard needs role " + readOnlyRole + " or " + role
                : "A " + request.getMethod() + " to the Taskbound dashboard changes jobs or lanes and needs role "
                        + role + (role.equals(readOnlyRole) ? "" : "; role " + readOnlyRole + " may only read");
    }
}
