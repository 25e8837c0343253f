package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.dashboard.DashboardClient.Response;

/** Assertions on the API's answers, shared by its test classes. */
final class ApiAssertions {

    private ApiAssertions() {}

    /** A refusal with {@code status}, in the API's error shape, whose message contains every part. */
    static void assertRefused(Response response, int status, String... messageParts) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.raw().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("error").asString()).isNotBlank();
        assertThat(response.message()).isNotBlank().contains(messageParts);
    }

    static void assertStatus(Response response, int status) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
    }
}
