package io.taskbound.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/session}: who the caller is, whether it may change things, and the CSRF header
 * and token to send with every {@code POST}, {@code PUT} and {@code DELETE}. The web UI reads it once
 * at load. Mapped under the API's prefix like {@link DashboardApi}.
 */
@RestController
class DashboardSessionApi {

    record Session(
            @Nullable String user,
            boolean canManage,
            @Nullable Csrf csrf) {}

    record Csrf(String header, String token) {}

    private final DashboardCaller caller;

    DashboardSessionApi(DashboardCaller caller) {
        this.caller = caller;
    }

    @GetMapping("/session")
    ResponseEntity<byte[]> session(HttpServletRequest request) {
        return DashboardJson.ok(new Session(caller.user(request), caller.canManage(request), caller.csrf(request)));
    }
}
