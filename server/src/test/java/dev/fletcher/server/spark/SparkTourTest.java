package dev.fletcher.server.spark;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.server.catalog.CatalogService;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's tour with Spark as the default warehouse: the example loaded by the server's ExampleLoader into the
 * shared Spark Connect test server, then the same checks the DuckDB tour passes, each against values computed from
 * the example's generator or by SQL of a different shape: a training set with a derived feature, metric queries, the
 * checkout_redesign analysis and monitor runs.
 */
@QuarkusTest
@TestProfile(SparkTourProfile.class)
class SparkTourTest {
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config().jsonConfig(
            JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    @Inject
    Warehouses warehouses;

    @BeforeEach
    void theDefaultWarehouseIsSpark() {
        assertThat(warehouses.get("default").dialect().name()).isEqualTo("spark");
    }

    /** The example's training set with its derived conversion rate, against counts from the generator's rows. */
    @Test
    void trainingSetWithADerivedFeature() throws Exception {
        run("dev.fletcher.server.trainingset.ExampleTrainingSetTest",
                "facebookTrailingThreeHourConversionRateForLeadRows");
    }

    @Test
    void metricQueries() throws Exception {
        run("dev.fletcher.server.metrics.MetricQueryRestTest", "revenueAndOrdersByDayAndCountryWithAWhereItem");
        run("dev.fletcher.server.metrics.MetricQueryRestTest", "leadConversionRateByReferrerAndDay");
        run("dev.fletcher.server.metrics.MetricQueryRestTest", "revenueByThePlanEachCustomerHadAtTheTimeOfEachOrder");
    }

    @Test
    void checkoutRedesignAnalysis() throws Exception {
        run("dev.fletcher.server.experiment.ExperimentResourceTest", "checkoutRedesignAnalysis");
    }

    /** Model accuracy at two times, against the DuckDB tour's own reckoning from the generated rows. */
    @Test
    void monitorRuns() throws Exception {
        Class<?> monitorTest = Class.forName("dev.fletcher.server.monitor.MonitorRestTest");
        CatalogService catalog = Arc.container().instance(CatalogService.class).get();
        catalog.apply("catalog.yaml", Files.readString(Path.of("..", "examples", "catalog.yaml")), false, false);
        Method accuracy = monitorTest.getDeclaredMethod("accuracy", Instant.class);
        accuracy.setAccessible(true);
        for (String at : List.of("2026-02-01T15:00:00Z", "2026-02-25T15:00:00Z")) {
            double expected = ((double[]) accuracy.invoke(null, Instant.parse(at)))[0];
            JsonPath evaluation = given().config(DOUBLES).when().post("/api/v1/monitors/model_accuracy/run?at=" + at)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(evaluation.getDouble("value")).as(at).isCloseTo(expected, within(1e-9));
            assertThat(evaluation.getString("state")).isEqualTo(expected < 0.75 ? "alerting" : "ok");
        }
        run("dev.fletcher.server.monitor.MonitorRestTest", "scoreDriftIsPsiOverTheBaselinesDeciles");
    }

    /** Runs one check of the DuckDB tour here: its injections from this server, its set-up, then the check. */
    private static void run(String className, String testName) throws Exception {
        Class<?> type = Class.forName(className);
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        Object test = constructor.newInstance();
        for (Field field : type.getDeclaredFields()) {
            if (field.isAnnotationPresent(Inject.class)) {
                field.setAccessible(true);
                field.set(test, Arc.container().instance(field.getType()).get());
            }
        }
        try {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(BeforeEach.class)) {
                    method.setAccessible(true);
                    method.invoke(test);
                }
            }
            Method check = type.getDeclaredMethod(testName);
            check.setAccessible(true);
            check.invoke(test);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }
}
