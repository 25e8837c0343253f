package io.taskbound.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web UI's one page, at the dashboard's path. Its views are routed in the browser ({@code
 * #/jobs}, {@code #/schedules}), its scripts and styles are files under {@code assets/} next to it,
 * and every URL it uses is relative, so that it works under a context path and behind a reverse
 * proxy that adds a prefix.
 */
@RestController
class DashboardPage {

    /**
     * Scripts and styles from the page's own origin only: no inline script, so that a value from a
     * job that got into the page unescaped could not run.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
            + " frame-ancestors 'none'";

    private final byte[] page;
    private final String lastSegment;

    DashboardPage(String path) {
        this.page = DashboardUiConfiguration.resource("index.html");
        this.lastSegment = path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The page, at the path with a slash, so that its relative URLs resolve under it; the path
     * without one redirects there.
     */
    @GetMapping({"", "/"})
    ResponseEntity<byte[]> page(HttpServletRequest request) {
        if (!request.getRequestURI().endsWith("/")) {
            return ResponseEntity.status(HttpStatus.FOUND)
                    .header(HttpHeaders.LOCATION, lastSegment + "/")
                    .build();
        }
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .body(page);
    }
}
