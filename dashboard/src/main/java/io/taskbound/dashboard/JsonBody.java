package io.taskbound.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON object sent to the API, read strictly as {@link ApiParameters} reads query parameters:
 * an unknown field or a value of the wrong kind is refused with a message naming the field, the
 * value and what to send. A field given as {@code null} counts as not given.
 */
final class JsonBody {

    /** Larger bodies are refused unread: no request of this API needs more. */
    static final int MAX_BYTES = 1024 * 1024;

    static final Duration MAX_DURATION = Duration.ofDays(3650);

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final JsonNode object;

    private JsonBody(JsonNode object) {
        this.object = object;
    }

    /** The request's body, which must be a JSON object with no field outside {@code accepted}. */
    static JsonBody read(HttpServletRequest request, Set<String> accepted) {
        requireJson(request.getContentType());
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw ApiException.badRequest("The request body is over " + MAX_BYTES + " bytes: send less");
        }
        return parse(bytes, accepted);
    }

    /**
     * Refuses a body sent as anything but JSON: a form's body may already have been read as its
     * parameters, and a browser sends JSON across sites only after a CORS preflight. No type at all
     * is taken as JSON, for hand-written requests.
     */
    private static void requireJson(@Nullable String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            type = null;
        }
        if (type == null
                || !(MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                        || ("application".equals(type.getType())
                                && type.getSubtype().endsWith("+json")))) {
            throw ApiException.unsupportedMediaType("Content-Type " + ApiParameters.shown(contentType)
                    + " is not JSON: send the body as Content-Type: application/json");
        }
    }

    static JsonBody parse(byte[] bytes, Set<String> accepted) {
        String expected = "send a JSON object with the fields " + listed(accepted);
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiException.badRequest(
                    "The request body is not valid JSON (" + e.getOriginalMessage() + "): " + expected);
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest("The request body is empty: " + expected);
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("The request body is a JSON " + kind(node) + ", not an object: " + expected);
        }
        for (String name : node.propertyNames()) {
            if (!accepted.contains(name)) {
                throw ApiException.badRequest("Unknown field \"" + ApiParameters.shown(name) + "\" in the request body:"
                        + " the accepted fields are " + listed(accepted));
            }
        }
        return new JsonBody(node);
    }

    boolean has(String field) {
        JsonNode value = object.get(field);
        return value != null && !value.isNull();
    }

    /** A string field that must be given and not blank, stripped. */
    String requiredText(String field, String what) {
        String text = text(field);
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("Field " + field + " is missing: give " + what);
        }
        return text.strip();
    }

    @Nullable
    String text(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw wrongKind(field, value, "a string");
        }
        String text = value.asString();
        // PostgreSQL text cannot hold a NUL character: refused here rather than failing the statement.
        if (text.indexOf('\0') >= 0) {
            throw ApiException.badRequest(
                    "Field " + field + " holds a NUL character, which no stored value can" + " contain: remove it");
        }
        return text;
    }

    /** An array field as the JSON text the core takes, such as {@code ["x", 2]}; {@code []} when not given. */
    String arrayJson(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return "[]";
        }
        if (!value.isArray()) {
            throw wrongKind(field, value, "a JSON array of the job's arguments, such as [\"x\", 2]");
        }
        String json = value.toString();
        // Stored as jsonb, which cannot hold a NUL character either: refused here, not by the insert.
        if (json.contains("\\u0000")) {
            throw ApiException.badRequest("Field " + field
                    + " holds a NUL character (\\u0000), which no stored value can contain: remove it");
        }
        return json;
    }

    @Nullable
    Integer integer(String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongKind(field, value, "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return value.asInt();
    }

    @Nullable
    Instant instant(String field) {
        String text = text(field);
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Field " + field + " must be an ISO-8601 instant such as"
                    + " 2026-01-31T12:00:00Z, was \"" + ApiParameters.shown(text) + "\"");
        }
        // Instant reaches far beyond what PostgreSQL's timestamps hold; refused here, not by the database.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest("Field " + field + " must be an instant between " + EARLIEST + " and "
                    + LATEST + ", was \"" + ApiParameters.shown(text) + "\"");
        }
        return instant;
    }

    @Nullable
    Duration duration(String field) {
        String text = text(field);
        return text == null || text.isBlank() ? null : duration("Field", field, text);
    }

    @Nullable
    ZoneId zone(String field) {
        String text = text(field);
        return text == null || text.isBlank() ? null : zone("Field", field, text);
    }

    <E extends Enum<E>> @Nullable E choice(String field, Class<E> type) {
        String text = text(field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Field " + field + " must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
                    + ", was \"" + ApiParameters.shown(text) + "\"");
        }
    }

    /** An ISO-8601 duration such as {@code PT5M}, from a body field or a query parameter. */
    static Duration duration(String source, String name, String text) {
        Duration duration;
        try {
            duration = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(source + " " + name + " must be an ISO-8601 duration such as PT5M or"
                    + " PT1H30M, was \"" + ApiParameters.shown(text) + "\"");
        }
        // Fire times are reckoned in nanoseconds from an instant: a longer interval or jitter would
        // overflow there, and no schedule needs one.
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw ApiException.badRequest(source + " " + name + " must be at most P3650D (ten years), was \""
                    + ApiParameters.shown(text) + "\"");
        }
        return duration;
    }

    /** A zone id such as {@code Europe/Paris}, from a body field or a query parameter. */
    static ZoneId zone(String source, String name, String text) {
        try {
            return ZoneId.of(text.strip());
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest(source + " " + name + " must be a time zone id such as Europe/Paris or"
                    + " UTC, was \"" + ApiParameters.shown(text) + "\" (" + e.getMessage() + ")");
        }
    }

    private static ApiException wrongKind(String field, JsonNode value, String expected) {
        return ApiException.badRequest("Field " + field + " must be " + expected + ", was the JSON " + kind(value) + " "
                + ApiParameters.shown(value.toString()));
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String listed(Set<String> names) {
        return names.stream().sorted().collect(Collectors.joining(", "));
    }
}
