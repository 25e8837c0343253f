package io.taskbound.dashboard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Guards the dashboard where Spring Security is absent: HTTP Basic against the configured
 * credentials, or open when the application opted out, or else closed to everyone; and, for every
 * request that changes something, a refusal of cross-site requests.
 *
 * <p>The cross-site check matters because browsers resend remembered Basic credentials on any
 * request to the site, including a form another site posts: a request that changes jobs must come
 * from a page of this origin. It reads the {@code Sec-Fetch-Site} header browsers send, and else
 * compares {@code Origin} with the request's own scheme, host and port. Behind a reverse proxy those
 * are the proxy's only when the application installed Spring's {@code ForwardedHeaderFilter}
 * ({@code server.forward-headers-strategy=framework}) or its server trusts the proxy's headers;
 * this filter never reads {@code X-Forwarded-*} or {@code Forwarded} itself, since any client can
 * send them.
 */
final class DashboardAccessFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    enum Access {
        /** HTTP Basic with the configured credentials. */
        BASIC,
        /** Anyone, without credentials: the application's explicit opt-out. */
        ANONYMOUS,
        /** No one: neither credentials nor the opt-out are configured. */
        REFUSED
    }

    private final Access access;
    private final byte @Nullable [] usernameDigest;
    private final byte @Nullable [] passwordDigest;

    DashboardAccessFilter(TaskboundDashboardProperties properties) {
        if (properties.hasCredentials()) {
            access = Access.BASIC;
            usernameDigest = digest(properties.username());
            passwordDigest = digest(properties.password());
        } else {
            access = properties.allowAnonymous() ? Access.ANONYMOUS : Access.REFUSED;
            usernameDigest = null;
            passwordDigest = null;
        }
    }

    Access access() {
        return access;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (access == Access.REFUSED) {
            DashboardJson.refuse(
                    response,
                    HttpStatus.FORBIDDEN,
                    "The Taskbound dashboard is closed until access is configured: set"
                            + " taskbound.dashboard.username and taskbound.dashboard.password for HTTP Basic, add"
                            + " Spring Security, or, for local development only, set"
                            + " taskbound.dashboard.allow-anonymous=true");
            return;
        }
        String user = access == Access.BASIC ? authenticated(request) : null;
        if (access == Access.BASIC && user == null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Taskbound dashboard\", charset=\"UTF-8\"");
            DashboardJson.refuse(
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "The Taskbound dashboard needs the user name and password of taskbound.dashboard.username and"
                            + " taskbound.dashboard.password, by HTTP Basic");
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            String crossSite = crossSite(request);
            if (crossSite != null) {
                DashboardJson.refuse(response, HttpStatus.FORBIDDEN, crossSite);
                return;
            }
        }
        chain.doFilter(user == null ? request : asUser(request, user), response);
    }

    /** The request as the given user's, so that the API (its {@code /session}) can tell who calls. */
    private static HttpServletRequest asUser(HttpServletRequest request, String user) {
        Principal principal = () -> user;
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public String getRemoteUser() {
                return user;
            }

            @Override
            public String getAuthType() {
                return HttpServletRequest.BASIC_AUTH;
            }
        };
    }

    /** Why a request that changes something is refused as cross-site, or null if it is not. */
    static @Nullable String crossSite(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.strip().equalsIgnoreCase("cross-site")) {
            return "Cross-site " + request.getMethod() + " refused (Sec-Fetch-Site: cross-site): the dashboard's"
                    + " actions only take requests from its own pages";
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !sameOrigin(request)) {
            return "Cross-origin " + request.getMethod() + " refused: Origin " + ApiParameters.shown(origin)
                    + " is not this server's " + request.getScheme() + "://" + request.getServerName() + ":"
                    + request.getServerPort() + "; behind a proxy, set server.forward-headers-strategy so that"
                    + " the request carries the proxy's address";
        }
        return null;
    }

    private static boolean sameOrigin(HttpServletRequest request) {
        try {
            return WebUtils.isSameOrigin(new ServletServerHttpRequest(request));
        } catch (IllegalArgumentException e) {
            // An Origin that is not a URL ("null" from a sandboxed frame, or garbage) is no origin of ours.
            return false;
        }
    }

    /** The user name, if the request brings the configured credentials; else null. */
    private @Nullable String authenticated(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        // Digests of equal length compared in constant time: the time taken tells nothing of how much
        // of either credential, or of its length, was right. Both are compared whatever the first gives.
        boolean user = MessageDigest.isEqual(digest(decoded.substring(0, colon)), usernameDigest);
        boolean password = MessageDigest.isEqual(digest(decoded.substring(colon + 1)), passwordDigest);
        return user & password ? decoded.substring(0, colon) : null;
    }

    private static byte[] digest(@Nullable String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(text).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
