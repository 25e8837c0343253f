package io.taskbound.dashboard.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP to a running server that, like a browser, keeps the cookies it is given (the session,
 * the CSRF token's) and sends them back; optionally with HTTP Basic credentials on every request.
 */
final class Browser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final String base;
    private final @Nullable String authorization;

    private Browser(int port, @Nullable String authorization) {
        this.base = "http://localhost:" + port;
        this.authorization = authorization;
    }

    static Browser anonymous(int port) {
        return new Browser(port, null);
    }

    static Browser basic(int port, String username, String password) {
        String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Browser(port, "Basic " + token);
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

    /** What the web UI does: reads {@code /api/session} once, then sends its CSRF header and token along. */
    Response postAsTheUi(String api, String path, String... headers) {
        JsonNode csrf = get(api + "/session").body().get("csrf");
        List<String> all = new ArrayList<>(
                List.of(csrf.get("header").asString(), csrf.get("token").asString()));
        all.addAll(List.of(headers));
        return send("POST", api + path, all.toArray(String[]::new));
    }

    Response send(String method, String path, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody());
        return send(request, headers);
    }

    /** Signs in through the application's own login form, as a person would: its page, then the form. */
    int logIn(String username, String password) {
        String page = send(HttpRequest.newBuilder(URI.create(base + "/login")).GET())
                .raw()
                .body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page);
        if (!csrf.find()) {
            throw new IllegalStateException("No CSRF field in the login page: " + page);
        }
        String form =
                "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(csrf.group(1));
        return send(
                        HttpRequest.newBuilder(URI.create(base + "/login"))
                                .POST(HttpRequest.BodyPublishers.ofString(form)),
                        "Content-Type",
                        "application/x-www-form-urlencoded")
                .status();
    }

    private Response send(HttpRequest.Builder request, String... headers) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode body =
                    type.startsWith("application/json") && !response.body().isEmpty()
                            ? JSON.readTree(response.body())
                            : null;
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
