package dev.fletcher.server.spark;

import static org.assertj.core.api.Assertions.assertThat;

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
 * the example's generator (not from a warehouse): a training set, metric queries, the checkout_redesign analysis and
 * monitor runs.
 */
@QuarkusTest
@TestProfile(SparkTourProfile.class)
class SparkTourTest {
    @Inject
    Warehouses warehouses;

    @BeforeEach
    void theDefaultWarehouseIsSpark() {
        assertThat(warehouses.get("default").dialect().name()).isEqualTo("spark");
    }

    @Test
    void trainingSetOfTrailingConversionRates() throws Exception {
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

    @Test
    void monitorRuns() throws Exception {
        run("dev.fletcher.server.monitor.MonitorRestTest", "modelAccuracyCountsEachLeadOnceAndJudgesOnlyMatureLabels");
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
