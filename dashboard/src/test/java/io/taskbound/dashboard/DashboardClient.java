package io.taskbound.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP to the dashboard's API on a running server, as a user name and password, or anonymous. */
final class DashboardClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final @Nullable String authorization;

    private DashboardClient(String base, @Nullable String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    static DashboardClient anonymous(int port) {
        return new DashboardClient("http://localhost:" + port, null);
    }

    static DashboardClient as(int port, String username, String password) {
        String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new DashboardClient("http://localhost:" + port, "Basic " + token);
    }

    /** This server's own origin, as a browser on one of its pages sends it. */
    String origin() {
        return base;
    }

    record Response(int status, @Nullable JsonNode body, HttpResponse<String> raw) {

        String message() {
            return body == null ? "" : body.path("message").asString();
        }
    }

    Response get(String path) {
        return send("GET", path);
    }

    Response post(String path, String... headers) {
        return send("POST", path, headers);
    }

    Response delete(String path, String... headers) {
        return send("DELETE", path, headers);
    }

    /** Sends {@code body} as {@code application/json}. */
    Response sendJson(String method, String path, String body) {
        return sendBody(method, path, body, "Content-Type", "application/json");
    }

    /** Sends {@code body} with the headers given, no Content-Type unless among them. */
    Response sendBody(String method, String path, String body, String... headers) {
        return send(method, path, HttpRequest.BodyPublishers.ofString(body), headers);
    }

    /** A GET whose body is kept as text, not read as JSON: the page and its files. */
    HttpResponse<String> raw(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens the server-sent events at {@code path}, as a browser's {@code EventSource} does. */
    EventStream events(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "text/event-stream")
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        EventStream stream = new EventStream();
        stream.response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(stream));
        return stream;
    }

    Response send(String method, String path, String... headers) {
        return send(method, path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    private Response send(String method, String path, HttpRequest.BodyPublisher content, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).method(method, content);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
