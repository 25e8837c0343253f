package io.taskbound.autoconfigure;

import io.taskbound.BoundAdvice;
import io.taskbound.InvalidScheduleException;
import io.taskbound.JobHandle;
import io.taskbound.Jobs;
import io.taskbound.LaneAdvice;
import io.taskbound.LaneReport;
import io.taskbound.NodeInfo;
import io.taskbound.ScheduleInfo;
import io.taskbound.UnknownScheduleException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The Actuator endpoint {@code taskbound}: what the cluster's lanes, nodes and schedules are doing,
 * what this instance's bound advisor sees of its jobs and lanes, and, for those allowed to write,
 * pausing and resuming a lane or a schedule and triggering a schedule now.
 *
 * <p>{@code GET /actuator/taskbound} reads the overview. {@code POST
 * /actuator/taskbound/lanes/{lane}} with {@code {"action": "pause"}} or {@code "resume"}, and {@code
 * POST /actuator/taskbound/schedules/{id}} with {@code "pause"}, {@code "resume"} or {@code
 * "trigger"}, act. Its access is read-only unless {@code management.endpoint.taskbound.access=unrestricted}:
 * like Actuator's own writing endpoints, changing what runs is opted into, and the application's
 * security guards it as it guards its other Actuator endpoints.
 *
 * <p>A bad request (an unknown action, lane or schedule) is answered 400 or 404 with a message that
 * names it and says what is valid, never 500; nothing stored changes then.
 */
@Endpoint(id = "taskbound", defaultAccess = Access.READ_ONLY)
public class TaskboundEndpoint {

    private static final Set<String> LANE_ACTIONS = Set.of("pause", "resume");
    private static final Set<String> SCHEDULE_ACTIONS = Set.of("pause", "resume", "trigger");

    private final Jobs jobs;

    public TaskboundEndpoint(Jobs jobs) {
        this.jobs = jobs;
    }

    /**
     * The overview.
     *
     * @param lanes every lane's figures, cluster-wide
     * @param paused the lanes paused now
     * @param nodes the nodes alive or recently seen
     * @param schedules every recurring schedule
     * @param advice what this instance's bound advisor observed of each job name it ran, mismatches
     *     first
     * @param laneAdvice the lanes of this instance that its advisor finds held back by their
     *     concurrency, each with the setting to try
     */
    public record Overview(
            LaneReport lanes,
            Set<String> paused,
            List<NodeInfo> nodes,
            List<ScheduleInfo> schedules,
            List<BoundAdvice> advice,
            List<LaneAdvice> laneAdvice) {}

    @ReadOperation
    public Overview overview() {
        return new Overview(
                jobs.queries().lanes(),
                new TreeSet<>(jobs.lanes().paused()),
                jobs.queries().nodes(),
                jobs.schedules().list(),
                jobs.advisor().observations().stream()
                        .sorted(Comparator.comparing((BoundAdvice advice) -> !advice.mismatch()))
                        .toList(),
                jobs.advisor().lanes());
    }

    /** Acts on the lane or schedule {@code name}; {@code kind} is {@code lanes} or {@code schedules}. */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> act(@Selector String kind, @Selector String name, String action) {
        return switch (kind) {
            case "lanes" -> lane(name, action);
            case "schedules" -> schedule(name, action);
            default ->
                answer(
                        WebEndpointResponse.STATUS_NOT_FOUND,
                        "No such thing to act on: \"" + kind + "\"; POST to /actuator/taskbound/lanes/{lane}"
                                + " or /actuator/taskbound/schedules/{id}");
        };
    }

    private WebEndpointResponse<Map<String, Object>> lane(String lane, String action) {
        if (!LANE_ACTIONS.contains(action)) {
            return unknownAction("lane", action, LANE_ACTIONS);
        }
        try {
            if (action.equals("pause")) {
                jobs.lanes().pause(lane);
            } else {
                jobs.lanes().resume(lane);
            }
        } catch (IllegalArgumentException unknownLane) {
            return answer(WebEndpointResponse.STATUS_NOT_FOUND, unknownLane.getMessage());
        }
        return new WebEndpointResponse<>(
                Map.of("lane", lane, "paused", jobs.lanes().paused().contains(lane)));
    }

    private WebEndpointResponse<Map<String, Object>> schedule(String id, String action) {
        if (!SCHEDULE_ACTIONS.contains(action)) {
            return unknownAction("schedule", action, SCHEDULE_ACTIONS);
        }
        try {
            return switch (action) {
                case "pause" -> scheduleNow(jobs.schedules().pause(id));
                case "resume" -> scheduleNow(jobs.schedules().resume(id));
                default -> {
                    JobHandle<Object> fired = jobs.schedules().trigger(id);
                    yield new WebEndpointResponse<>(Map.of("schedule", id, "jobId", fired.id()));
                }
            };
        } catch (UnknownScheduleException unknown) {
            return answer(WebEndpointResponse.STATUS_NOT_FOUND, unknown.getMessage());
        } catch (InvalidScheduleException | IllegalArgumentException refused) {
            return answer(WebEndpointResponse.STATUS_BAD_REQUEST, refused.getMessage());
        }
    }

    private static WebEndpointResponse<Map<String, Object>> scheduleNow(ScheduleInfo schedule) {
        return new WebEndpointResponse<>(Map.of("schedule", schedule.id(), "paused", schedule.paused()));
    }

    private static WebEndpointResponse<Map<String, Object>> unknownAction(
            String what, String action, Set<String> actions) {
        return answer(
                WebEndpointResponse.STATUS_BAD_REQUEST,
                "Unknown action \"" + action + "\" on a " + what + ": send {\"action\": \"...\"} with one of "
                        + new TreeSet<>(actions));
    }

    private static WebEndpointResponse<Map<String, Object>> answer(int status, String message) {
        return new WebEndpointResponse<>(Map.of("status", status, "message", message), status);
    }
}
