package io.taskbound.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A request that enqueues jobs, traced from outside: the sample's log shows each enqueue's span in
 * the request's trace and each run's span in a trace of its own, linked to its enqueue. The same
 * context as {@link PressroomMetricsTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "pressroom.embedded-postgres.data-dir=${java.io.tmpdir}/pressroom-test-${random.uuid}",
            "pressroom.embedded-postgres.keep-data=false"
        })
class PressroomTracingTests {

    private static final Pattern ENQUEUE =
            Pattern.compile("span \"enqueue calculator.add\": trace (\\w{32}), span (\\w{16}), parent span (\\w{16})");
    private static final Pattern RUN = Pattern.compile(
            "span \"run calculator.add\": trace (\\w{32}), span (\\w{16}), linked to trace (\\w{32}), span (\\w{16})");

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Test
    void theRunsOfJobsARequestEnqueuedAreLinkedToItsTrace(CapturedOutput output) throws Exception {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String callerSpan = HexFormat.of().formatHex(randomBytes(8));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/demo/add"))
                        .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        List<Matcher> enqueues = matches(ENQUEUE, output.getOut(), traceId, 1);
        assertThat(enqueues).as("three enqueues in the request's trace").hasSize(3);
        List<String> enqueueSpans = enqueues.stream().map(m -> m.group(2)).toList();

        List<Matcher> runs = await().atMost(Duration.ofSeconds(20))
                .until(() -> matches(RUN, output.getOut(), traceId, 3), found -> found.size() == 3);
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.group(1)).as("a trace of its own").isNotEqualTo(traceId);
            assertThat(enqueueSpans).contains(run.group(4));
        });
    }

    private static List<Matcher> matches(Pattern pattern, String output, String traceId, int traceGroup) {
        return output.lines()
                .map(pattern::matcher)
                .filter(Matcher::find)
                .filter(m -> m.group(traceGroup).equals(traceId))
                .toList();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
