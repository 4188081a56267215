package dev.sentinel.spring;

import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.CredentialRejectedException;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MigrationFailedException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.SerializationFailureException;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.StatementTimeoutException;
import dev.sentinel.core.TenantClosedException;
import dev.sentinel.core.TenantMismatchException;
import dev.sentinel.core.TransactionConflictException;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.jobs.LeaseLostException;
import dev.sentinel.core.secrets.SecretIntegrityException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every {@link SentinelException} with an RFC 9457 problem detail: a status, a type
 * ({@code urn:sentinel:problem:<name>}), a title and a fixed detail per kind of failure. The
 * exception's own message, which may name tables, constraints, SQL states or values, is logged on
 * the server (WARN for 5xx, DEBUG for 4xx) and never sent. Spring MVC's own errors (a malformed path
 * variable, an unreadable body) are problem details too, through {@link ResponseEntityExceptionHandler}.
 * A kind of failure with no entry of its own takes its nearest superclass's. Thread-safe.
 */
@RestControllerAdvice
public class SentinelProblemDetails extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelProblemDetails.class);

    /** One answer: status, type name, title, detail. */
    private record Answer(HttpStatus status, String name, String title, String detail) {
    }

    // Most specific first: the first entry the exception is an instance of answers.
    private static final Map<Class<? extends SentinelException>, Answer> ANSWERS = new LinkedHashMap<>();

    static {
        answer(InvalidInputException.class, HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input",
                "The request's input is not valid for this operation.");
        answer(MissingScopeException.class, HttpStatus.BAD_REQUEST, "missing-scope", "Missing tenant or actor",
                "The request does not say which tenant it acts for and who acts.");
        answer(NotFoundException.class, HttpStatus.NOT_FOUND, "not-found", "Not found", "The resource does not exist.");
        // A record of another tenant is answered as not found: its existence is not the caller's to learn.
        answer(TenantMismatchException.class, HttpStatus.NOT_FOUND, "not-found", "Not found", "The resource does not exist.");
        answer(UniqueViolationException.class, HttpStatus.CONFLICT, "already-exists", "Already exists",
                "A resource with the same unique values exists.");
        answer(ConstraintViolationException.class, HttpStatus.UNPROCESSABLE_CONTENT, "constraint-violation", "Rule violated",
                "The request would break a rule of the data model, such as a required value, a length or a reference to something that does not exist.");
        answer(StaleRecordException.class, HttpStatus.CONFLICT, "stale", "Changed meanwhile",
                "The resource changed since it was read; read it again and retry.");
        answer(InvalidStateTransitionException.class, HttpStatus.CONFLICT, "invalid-state", "Not allowed in this state",
                "The resource's current state does not allow this operation.");
        answer(TenantClosedException.class, HttpStatus.CONFLICT, "tenant-closed", "Tenant closed",
                "The tenant is closed: its data can be read but no longer changed.");
        answer(SerializationFailureException.class, HttpStatus.CONFLICT, "concurrent-update", "Concurrent update",
                "The request conflicted with a concurrent one; retry it.");
        answer(LeaseLostException.class, HttpStatus.CONFLICT, "lease-lost", "Lease lost",
                "The job's lease passed to another worker.");
        answer(PermissionDeniedException.class, HttpStatus.FORBIDDEN, "permission-denied", "Permission denied",
                "The actor may not do this.");
        answer(CredentialRejectedException.class, HttpStatus.UNAUTHORIZED, "credential-rejected", "Credential rejected",
                "The credential is not valid.");
        answer(StatementTimeoutException.class, HttpStatus.SERVICE_UNAVAILABLE, "timeout", "Took too long",
                "The request took too long; retry later.");
        answer(ConnectionLostException.class, HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                "The database could not be reached; retry later.");
        answer(SecretIntegrityException.class, HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request failed on the server.");
        answer(TransactionConflictException.class, HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request failed on the server.");
        answer(DatabaseException.class, HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request failed on the server.");
        answer(MigrationFailedException.class, HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request failed on the server.");
        answer(ConfigurationException.class, HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request failed on the server.");
        answer(SentinelException.class, HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request failed on the server.");
    }

    private static void answer(Class<? extends SentinelException> type, HttpStatus status, String name, String title, String detail) {
        ANSWERS.put(type, new Answer(status, name, title, detail));
    }

    /** Creates the advice; the starter registers it as a bean. */
    public SentinelProblemDetails() {
    }

    /**
     * The problem detail of a Sentinel exception, without its message.
     *
     * @param exception the exception
     * @return the problem detail
     */
    public static ProblemDetail problemOf(SentinelException exception) {
        Answer answer = ANSWERS.entrySet().stream().filter(entry -> entry.getKey().isInstance(exception)).findFirst()
                .orElseThrow().getValue();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(answer.status(), answer.detail());
        problem.setType(URI.create("urn:sentinel:problem:" + answer.name()));
        problem.setTitle(answer.title());
        return problem;
    }

    /**
     * Answers a Sentinel exception thrown by a controller.
     *
     * @param exception the exception
     * @return the problem detail, whose status becomes the response's
     */
    @ExceptionHandler(SentinelException.class)
    public ProblemDetail handleSentinelException(SentinelException exception) {
        ProblemDetail problem = problemOf(exception);
        if (problem.getStatus() >= 500) {
            LOG.warn("Answered {} for {}", problem.getStatus(), exception.toString(), exception);
        } else {
            LOG.debug("Answered {} for {}", problem.getStatus(), exception.toString());
        }
        return problem;
    }
}
