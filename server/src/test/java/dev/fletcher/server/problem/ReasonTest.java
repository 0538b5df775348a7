package dev.fletcher.server.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.persistence.CatalogConflictException;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.online.OnlineStoreUnavailableException;
import dev.fletcher.spi.warehouse.StatementTimeoutException;
import jakarta.ws.rs.core.Response;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each reason answered once over HTTP and once over Flight, as clients rely on. */
class ReasonTest {
    @ParameterizedTest
    @CsvSource({
        "INVALID_REQUEST,  400, urn:fletcher:problem:invalid-request,  INVALID_ARGUMENT",
        "MALFORMED_JSON,   400, urn:fletcher:problem:malformed-json,   INVALID_ARGUMENT",
        "INVALID_BUNDLE,   400, urn:fletcher:problem:invalid-bundle,   INVALID_ARGUMENT",
        "NOT_SUPPORTED,    400, urn:fletcher:problem:not-supported,    INVALID_ARGUMENT",
        "UNAUTHENTICATED,  401, urn:fletcher:problem:unauthenticated,  UNAUTHENTICATED",
        "FORBIDDEN,        403, urn:fletcher:problem:forbidden,        UNAUTHORIZED",
        "NOT_FOUND,        404, urn:fletcher:problem:not-found,        NOT_FOUND",
        "NOT_ACCEPTABLE,   406, urn:fletcher:problem:not-acceptable,   INVALID_ARGUMENT",
        "CONFLICT,         409, urn:fletcher:problem:conflict,         INVALID_ARGUMENT",
        "NOT_MATERIALIZED, 409, urn:fletcher:problem:not-materialized, INVALID_ARGUMENT",
        "TOO_LARGE,        413, urn:fletcher:problem:too-large,        RESOURCE_EXHAUSTED",
        "STATEMENT_TIMEOUT, 422, urn:fletcher:problem:statement-timeout, TIMED_OUT",
        "TOO_MANY_ROWS,    422, urn:fletcher:problem:too-many-rows,    RESOURCE_EXHAUSTED",
        "BUSY,             429, urn:fletcher:problem:busy,             RESOURCE_EXHAUSTED",
        "INTERNAL,         500, urn:fletcher:problem:internal,         INTERNAL",
        "WAREHOUSE_FAILED, 502, urn:fletcher:problem:warehouse-failed, INTERNAL",
        "UNAVAILABLE,      503, urn:fletcher:problem:unavailable,      UNAVAILABLE",
    })
    void everyReasonHasOneHttpAnswerAndOneFlightStatus(Reason reason, int status, String type,
            FlightStatusCode flight) {
        RequestException refused = new RequestException(reason, Subject.METRICS_QUERY, "what went wrong");

        Response answer = new ProblemMappers().refused(refused, null);
        assertThat(answer.getStatus()).isEqualTo(status);
        assertThat(answer.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        Problem problem = (Problem) answer.getEntity();
        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.type()).isEqualTo(type);
        if (reason != Reason.INTERNAL) {
            assertThat(problem.detail()).isEqualTo("what went wrong");
        }
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo(reason == Reason.UNAVAILABLE ? "1" : null);

        FlightRuntimeException overFlight = FlightProblems.of(refused);
        assertThat(overFlight.status().code()).isEqualTo(flight);
        assertThat(overFlight.status().description()).endsWith("what went wrong");
    }

    @Test
    void theTableAboveHoldsEveryReason() {
        assertThat(EnumSet.allOf(Reason.class)).hasSize(17);
    }

    @Test
    void aServerFaultShowsAReferenceOverHttpNeverItsMessage() {
        Problem problem = (Problem) new ProblemMappers().refused(new RequestException(Reason.INTERNAL, null,
                "secret internals"), null).getEntity();
        assertThat(problem.detail()).contains("reference").doesNotContain("secret internals");
        assertThat(FlightProblems.of(new IllegalStateException("boom")).status().description())
                .isEqualTo("the server failed: boom");
    }

    @Test
    void anInvalidRequestIsTitledWithWhatItAskedFor() {
        assertThat(RequestException.invalid(Subject.METRICS_QUERY, "x").title()).isEqualTo("Invalid metrics query");
        assertThat(RequestException.invalid(Subject.TRAINING_SET, "x").title())
                .isEqualTo("Invalid training-set request");
        assertThat(new RequestException(Reason.NOT_FOUND, Subject.ONLINE, "x").title()).isEqualTo("Not found");
        assertThat(new RequestException(Reason.WAREHOUSE_FAILED, Subject.MONITOR, "x").title())
                .isEqualTo("Warehouse failed");
    }

    @Test
    void theExceptionsOfTheOtherModulesStandForTheirReason() {
        assertThat(Reason.of(new NotSupportedException(PluginKind.WAREHOUSE, "postgres", "approximate percentile")))
                .isEqualTo(Reason.NOT_SUPPORTED);
        assertThat(Reason.of(new OnlineStoreUnavailableException("down", null))).isEqualTo(Reason.UNAVAILABLE);
        assertThat(Reason.of(new PlanException("no such feature"))).isEqualTo(Reason.INVALID_REQUEST);
        assertThat(Reason.of(new AnalysisException("no such experiment"))).isEqualTo(Reason.INVALID_REQUEST);
        assertThat(Reason.of(new IllegalArgumentException("bad"))).isEqualTo(Reason.INVALID_REQUEST);
        assertThat(Reason.of(new BundleException(List.of()))).isEqualTo(Reason.INVALID_BUNDLE);
        assertThat(Reason.of(new CatalogConflictException(OptionalLong.empty(), null))).isEqualTo(Reason.CONFLICT);
        assertThat(Reason.of(new StatementTimeoutException("too slow", java.time.Duration.ofSeconds(1), null)))
                .isEqualTo(Reason.STATEMENT_TIMEOUT);
        // only a warehouse call knows that a plugin's failure was the warehouse's
        assertThat(Reason.of(new PluginException("no connection"))).isEqualTo(Reason.INTERNAL);
        assertThat(Reason.of(new IllegalStateException("bug"))).isEqualTo(Reason.INTERNAL);
    }

    @Test
    void unavailableIsAnsweredTheSameWhetherRefusedOrThrownByTheStore() {
        Response answer = new ProblemMappers().any(new OnlineStoreUnavailableException("redis is down", null), null);
        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(FlightProblems.of(new OnlineStoreUnavailableException("redis is down", null)).status().code())
                .isEqualTo(FlightStatusCode.UNAVAILABLE);
    }
}
