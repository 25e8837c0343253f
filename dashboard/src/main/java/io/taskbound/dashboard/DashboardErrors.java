package io.taskbound.dashboard;

import io.taskbound.InvalidJobStateException;
import io.taskbound.StoreUnavailableException;
import io.taskbound.UnknownJobException;
import io.taskbound.UnknownScheduleException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns what the API refuses into its JSON error body. Scoped to the API's controllers, so that the
 * application's own error handling stays as it is: the controllers of {@link
 * DashboardApiConfiguration#API}.
 */
@RestControllerAdvice(assignableTypes = {DashboardApi.class, EnqueueApi.class, ScheduleApi.class, LiveApi.class})
class DashboardErrors {

    @ExceptionHandler(ApiException.class)
    ResponseEntity<byte[]> refused(ApiException e) {
        return DashboardJson.error(e.status(), e.getMessage());
    }

    @ExceptionHandler(UnknownJobException.class)
    ResponseEntity<byte[]> unknownJob(UnknownJobException e) {
        return DashboardJson.error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(UnknownScheduleException.class)
    ResponseEntity<byte[]> unknownSchedule(UnknownScheduleException e) {
        return DashboardJson.error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(InvalidJobStateException.class)
    ResponseEntity<byte[]> invalidState(InvalidJobStateException e) {
        return DashboardJson.error(HttpStatus.CONFLICT, e.getMessage());
    }

    /** The database is down or unreachable: the caller may try again, nothing was wrong with its request. */
    @ExceptionHandler(StoreUnavailableException.class)
    ResponseEntity<byte[]> storeUnavailable(StoreUnavailableException e) {
        return DashboardJson.error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
