package io.taskbound.dashboard;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's JSON, written by a mapper of its own rather than the application's: the field names and
 * the ISO-8601 instants and durations are a contract that an application's Jackson settings (a
 * naming strategy, timestamps as numbers) must not change.
 */
final class DashboardJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();

    private DashboardJson() {}

    static ResponseEntity<byte[]> ok(Object body) {
        return respond(HttpStatus.OK, body);
    }

    /** A {@code 201 Created} of {@code body}, which {@code location} serves from now on. */
    static ResponseEntity<byte[]> created(String location, Object body) {
        return ResponseEntity.created(java.net.URI.create(location))
                .contentType(MediaType.APPLICATION_JSON)
                .body(bytes(body));
    }

    static ResponseEntity<byte[]> respond(HttpStatusCode status, Object body) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(bytes(body));
    }

    static ResponseEntity<byte[]> error(HttpStatus status, String message) {
        return respond(status, errorBody(status, message));
    }

    /** The error body every refusal has: {@code {"status":400,"error":"Bad Request","message":"..."}}. */
    static Map<String, Object> errorBody(HttpStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.put("message", message);
        return body;
    }

    /** Writes the error body as the answer of a filter, before any controller. */
    static void refuse(HttpServletResponse response, HttpStatus status, String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(bytes(errorBody(status, message)));
    }

    static byte[] bytes(Object body) {
        return MAPPER.writeValueAsBytes(body);
    }
}
