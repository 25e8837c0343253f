package io.taskbound.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.dashboard.security.Browser.Response;
import io.taskbound.dashboard.security.app.ShopApplication;
import io.taskbound.dashboard.security.app.ShopApplication.Printer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard in an application with Spring Security and a filter chain of its own (form login
 * for everything), over real HTTP on embedded PostgreSQL: the application's users, by the
 * dashboard's roles, with Spring Security's CSRF token as {@code /api/session} hands it out.
 */
// Closed after its tests, while the embedded database is surely up: left to the JVM's exit, the
// context's close races the database's own shutdown hook and the fork hangs for 30 s.
@DirtiesContext
@SpringBootTest(
        classes = {ShopApplication.class, DashboardSecurityTests.AppSecurity.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardSecurityTests {

    private static final String API = "/taskbound/api";

    /** The application's own security: everything needs a user, who signs in by its login form. */
    @Configuration(proxyBeanMethods = false)
    static class AppSecurity {
        @Bean
        SecurityFilterChain appSecurity(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults())
                    .build();
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SecurityDatabase.register(registry);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private Jobs jobs;

    private Browser as(String user) {
        return Browser.basic(port, user, ShopApplication.PASSWORD);
    }

    private UUID later() {
        return jobs.schedule(Printer::print, "later").in(Duration.ofHours(1)).id();
    }

    private UUID cancelled() {
        UUID id = later();
        jobs.cancel(id);
        return id;
    }

    private JobState state(UUID id) {
        return jobs.info(id).orElseThrow().state();
    }

    private static void assertRefused(Response response, int status, String... messageParts) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("error").asString()).isNotBlank();
        if (messageParts.length > 0) {
            assertThat(response.message()).contains(messageParts);
        }
    }

    @Test
    void asksAnAnonymousCallerToSignInWithABasicChallenge() {
        Response response = Browser.anonymous(port).get(API + "/jobs");
        assertRefused(response, 401, "needs a signed-in user");
        assertThat(response.raw().headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic realm="));
        assertRefused(Browser.basic(port, "operator", "wrong").get(API + "/jobs"), 401);
    }

    @Test
    void refusesAUserWithNeitherRoleSayingWhichRolesReadIt() {
        assertRefused(as("clerk").get(API + "/lanes"), 403, "TASKBOUND_VIEWER", "TASKBOUND_ADMIN");
        Response session = as("clerk").get(API + "/session");
        assertThat(session.status()).isEqualTo(403);
    }

    @Test
    void letsTheReadOnlyRoleReadEverythingAndChangeNothing() {
        UUID waiting = later();
        UUID finished = cancelled();
        Browser viewer = as("viewer");
        assertThat(viewer.get(API + "/lanes").status()).isEqualTo(200);
        assertThat(viewer.get(API + "/jobs/" + waiting).status()).isEqualTo(200);
        Response list = viewer.get(API + "/jobs?state=queued");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("items").toString()).contains(waiting.toString());
        Response session = viewer.get(API + "/session");
        assertThat(session.body().get("user").asString()).isEqualTo("viewer");
        assertThat(session.body().get("canManage").asBoolean()).isFalse();

        // With a valid CSRF token, so that what refuses them is the role.
        assertRefused(viewer.postAsTheUi(API, "/jobs/" + waiting + "/cancel"), 403, "needs role TASKBOUND_ADMIN");
        assertRefused(viewer.postAsTheUi(API, "/jobs/" + finished + "/retry"), 403, "TASKBOUND_ADMIN");
        assertRefused(viewer.postAsTheUi(API, "/jobs/delete?all=true"), 403, "TASKBOUND_ADMIN");
        assertRefused(viewer.postAsTheUi(API, "/lanes/io/pause"), 403, "TASKBOUND_ADMIN");
        String token = session.body().get("csrf").get("token").asString();
        assertRefused(viewer.send("DELETE", API + "/jobs/" + finished, "X-XSRF-TOKEN", token), 403, "TASKBOUND_ADMIN");

        assertThat(state(waiting)).isEqualTo(JobState.QUEUED);
        assertThat(state(finished)).isEqualTo(JobState.CANCELLED);
        assertThat(jobs.lanes().paused()).doesNotContain("io");
    }

    @Test
    void letsTheRoleChangeJobsWithTheCsrfHeaderAndTokenOfItsSession() {
        Browser operator = as("operator");
        Response session = operator.get(API + "/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body().get("user").asString()).isEqualTo("operator");
        assertThat(session.body().get("canManage").asBoolean()).isTrue();
        assertThat(session.body().get("csrf").get("header").asString()).isEqualTo("X-XSRF-TOKEN");

        UUID id = later();
        Response cancelled = operator.postAsTheUi(API, "/jobs/" + id + "/cancel");
        assertThat(cancelled.status()).as(cancelled.raw().body()).isEqualTo(200);
        assertThat(state(id)).isEqualTo(JobState.CANCELLED);

        Response paused = operator.postAsTheUi(API, "/lanes/gpu/pause");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(jobs.lanes().paused()).contains("gpu");
        assertThat(operator.postAsTheUi(API, "/lanes/gpu/resume").status()).isEqualTo(200);

        String header = session.body().get("csrf").get("header").asString();
        String token = session.body().get("csrf").get("token").asString();
        Response deleted = operator.send("DELETE", API + "/jobs/" + id, header, token);
        assertThat(deleted.status()).as(deleted.raw().body()).isEqualTo(204);
        assertThat(jobs.info(id)).isEmpty();
    }

    @Test
    void refusesTheRolesChangeWithoutTheCsrfTokenOrWithAWrongOne() {
        UUID id = later();
        Browser operator = as("operator");
        assertRefused(operator.post(API + "/jobs/" + id + "/cancel"), 403, "CSRF token", API + "/session");
        operator.get(API + "/session");
        assertRefused(operator.post(API + "/jobs/" + id + "/cancel", "X-XSRF-TOKEN", "forged"), 403, "CSRF token");
        // A token of another browser's, without that browser's cookie.
        String theirs = as("operator")
                .get(API + "/session")
                .body()
                .get("csrf")
                .get("token")
                .asString();
        assertRefused(operator.post(API + "/jobs/" + id + "/cancel", "X-XSRF-TOKEN", theirs), 403, "CSRF token");
        assertThat(state(id)).isEqualTo(JobState.QUEUED);
    }

    @Test
    void worksBehindAReverseProxyWhateverTheOriginItForwards() {
        UUID id = later();
        Response cancelled = as("operator")
                .postAsTheUi(
                        API,
                        "/jobs/" + id + "/cancel",
                        "Origin",
                        "https://jobs.example.com",
                        "X-Forwarded-Proto",
                        "https",
                        "X-Forwarded-Host",
                        "jobs.example.com");
        assertThat(cancelled.status()).as(cancelled.raw().body()).isEqualTo(200);
        assertThat(state(id)).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void recognisesAUserSignedInThroughTheApplicationsOwnLoginForm() {
        Browser browser = Browser.anonymous(port);
        assertThat(browser.logIn("operator", ShopApplication.PASSWORD)).isEqualTo(302);
        Response session = browser.get(API + "/session");
        assertThat(session.status()).as(session.raw().body()).isEqualTo(200);
        assertThat(session.body().get("user").asString()).isEqualTo("operator");
        UUID id = later();
        assertThat(browser.postAsTheUi(API, "/jobs/" + id + "/cancel").status()).isEqualTo(200);
        assertThat(state(id)).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void leavesTheRestOfTheApplicationToItsOwnChain() {
        Response hello = Browser.anonymous(port).get("/hello");
        assertThat(hello.status()).isEqualTo(302);
        assertThat(hello.raw().headers().firstValue("Location"))
                .hasValueSatisfying(to -> assertThat(to).endsWith("/login"));
    }
}
