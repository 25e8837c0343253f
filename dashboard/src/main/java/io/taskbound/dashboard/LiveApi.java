package io.taskbound.dashboard;

import io.taskbound.JobState;
import io.taskbound.StateCount;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live views' part of the API: the overview in one read, the counts with their series, and the
 * event stream. All of them are served from {@link DashboardFeed}'s snapshot, which is shared by
 * every open tab, so that the database's cost does not grow with the tabs.
 */
@RestController
class LiveApi {

    private final DashboardFeed feed;

    LiveApi(DashboardFeed feed) {
        this.feed = feed;
    }

    /** @param series the snapshots of the last half hour taken while someone watched */
    record Stats(
            Map<JobState, StateCount> states,
            @Nullable Instant queueCountedAt,
            Map<String, LaneViews.LaneLoad> lanes,
            DashboardFeed.Series series) {}

    @GetMapping("/overview")
    ResponseEntity<byte[]> overview() {
        return DashboardJson.ok(feed.overview());
    }

    @GetMapping("/stats")
    ResponseEntity<byte[]> stats() {
        LaneViews.Stats now = feed.overview().stats();
        return DashboardJson.ok(new Stats(now.states(), now.queueCountedAt(), now.lanes(), feed.series()));
    }

    /**
     * Server-sent events: {@code series} and {@code overview} at once, then an {@code overview} at
     * each refresh and {@code jobs} batches of this node's job events every half second.
     */
    @GetMapping(path = "/events", produces = "text/event-stream")
    SseEmitter events() {
        return feed.subscribe();
    }
}
