package io.taskbound.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.Jobs;
import io.taskbound.dashboard.security.Browser.Response;
import io.taskbound.dashboard.security.app.ShopApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An application that declares the dashboard's chain itself, by its name, has its own rules apply. */
// Closed after its tests, while the embedded database is surely up: left to the JVM's exit, the
// context's close races the database's own shutdown hook and the fork hangs for 30 s.
@DirtiesContext
@SpringBootTest(
        classes = {ShopApplication.class, DashboardOwnChainTests.OwnDashboardChain.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardOwnChainTests {

    /** Here: open to anyone, without a CSRF token; an application's choice, not a recommendation. */
    @Configuration(proxyBeanMethods = false)
    static class OwnDashboardChain {
        @Bean
        @Order(1)
        SecurityFilterChain taskboundDashboardSecurityFilterChain(HttpSecurity http) throws Exception {
            return http.securityMatcher("/taskbound/**")
                    .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(AbstractHttpConfigurer::disable)
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

    @Test
    void appliesTheApplicationsChainInsteadOfTheDashboards() {
        Browser anyone = Browser.anonymous(port);
        assertThat(anyone.get("/taskbound/api/lanes").status()).isEqualTo(200);
        Response paused = anyone.post("/taskbound/api/lanes/disk/pause");
        assertThat(paused.status()).as(paused.raw().body()).isEqualTo(200);
        assertThat(jobs.lanes().paused()).contains("disk");
        jobs.lanes().resume("disk");
        Response session = anyone.get("/taskbound/api/session");
        assertThat(session.body().get("user").isNull()).isTrue();
        assertThat(session.body().get("csrf").isNull()).isTrue();
    }
}
