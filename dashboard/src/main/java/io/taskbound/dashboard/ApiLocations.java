package io.taskbound.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The paths that a {@code 201 Created} names in its {@code Location}: under the application's
 * context path and the configured dashboard path, as the request reached them.
 */
final class ApiLocations {

    private final String api;

    ApiLocations(TaskboundDashboardProperties properties) {
        this.api = properties.path() + "/api";
    }

    String job(HttpServletRequest request, UUID id) {
        return path(request, "jobs", id.toString());
    }

    String schedule(HttpServletRequest request, String id) {
        return path(request, "schedules", id);
    }

    private String path(HttpServletRequest request, String collection, String id) {
        return ServletUriComponentsBuilder.fromServletMapping(request)
                .path(api)
                .pathSegment(collection, id)
                .encode()
                .build()
                .getPath();
    }
}
