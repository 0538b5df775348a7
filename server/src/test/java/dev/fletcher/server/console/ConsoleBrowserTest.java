package dev.fletcher.server.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.server.auth.ApiKeys;
import dev.fletcher.server.example.ExampleProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in Debian's headless Chromium against the example server: every check reads the page a user sees and
 * compares it with what the REST API answers. Screenshots land in target/console-screenshots for a person to look at.
 */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class ConsoleBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** One browser for the whole class: starting Chromium costs more than most of the checks. */
    private static ChromeDriver browser;
    private static Path profileDir;

    @TestHTTPResource("/console/")
    URL console;

    @Inject
    ApiKeys keys;

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        profileDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile-");
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void applyExample() throws IOException {
        given().contentType("application/yaml").body(Files.readAllBytes(Path.of("..", "examples", "catalog.yaml")))
                .when().post("/api/v1/catalog/apply").then().statusCode(200);
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    void signInShowsTheProblemForAnUnknownKeyAndThisMachineNeedsNone() {
        open("#/login");
        type(find("#key"), "fk_nothere00000_not-a-key");
        find("#sign-in").click();
        String problem = await(() -> text("#login-problem"), t -> !t.isBlank());
        assertThat(problem).contains("not known to this server");
        screenshot("login-unknown-key");

        find("#no-key").click();
        assertThat(await(() -> text("#whoami"), t -> !t.isBlank())).isEqualTo("local · admin");
        await(() -> browser.findElements(By.cssSelector("#catalog-list a.object-link")).size(), n -> n > 10);
        type(find("#catalog-search"), "accuracy");
        List<String> names = texts("#catalog-list a.object-link");
        assertThat(names).containsExactlyInAnyOrder("prediction_accuracy", "model_accuracy");
        screenshot("catalog-search");
    }

    @Test
    void theLineageOfPredictionAccuracyRunsFromItsSourceToItsMonitor() {
        open("#/lineage?focus=metric:prediction_accuracy");
        await(() -> browser.findElements(By.cssSelector("#lineage-svg g.node")).size(), n -> n > 0);
        List<String> nodes = browser.findElements(By.cssSelector("#lineage-svg g.node")).stream()
                .map(n -> n.getAttribute("data-id")).toList();
        assertThat(nodes).containsExactlyInAnyOrder("source:prediction_outcomes", "metric:correct_leads",
                "metric:predicted_leads", "metric:prediction_accuracy", "monitor:model_accuracy");
        assertThat(browser.findElements(By.cssSelector("#lineage-svg path.edge"))).hasSize(5);
        // dagre laid it out left to right: the source sits left of the metric, the metric left of its monitor.
        assertThat(x("source:prediction_outcomes")).isLessThan(x("metric:correct_leads"));
        assertThat(x("metric:correct_leads")).isLessThan(x("metric:prediction_accuracy"));
        assertThat(x("metric:prediction_accuracy")).isLessThan(x("monitor:model_accuracy"));
        screenshot("lineage-prediction-accuracy");

        find("#lineage-svg g.node[data-id='monitor:model_accuracy']").click();
        await(() -> browser.getCurrentUrl(), u -> u.endsWith("#/monitors/model_accuracy"));
        assertThat(await(() -> text("h1"), t -> t.startsWith("model_accuracy"))).startsWith("model_accuracy");
    }

    @Test
    void aMetricQueryDrawsItsChartAndTableWithTheApisValues() {
        JsonPath api = given().contentType("application/json").body("""
                {"metrics": ["revenue"], "group_by": ["metric_time__day"],
                 "start": "2026-01-01T00:00:00Z", "end": "2026-01-08T00:00:00Z"}""")
                .post("/api/v1/metrics/query").then().statusCode(200).extract().jsonPath();
        List<List<Object>> rows = api.getList("rows");
        assertThat(rows).hasSize(7);

        open("#/metrics?m=revenue&grain=day&start=2026-01-01&end=2026-01-08");
        await(() -> find("#metric-chart").getAttribute("data-points"), p -> "7".equals(p));
        assertThat(browser.findElements(By.cssSelector("#metric-chart canvas"))).isNotEmpty();
        assertThat(text("#row-count")).isEqualTo("7 rows");
        List<WebElement> firstRow = browser.findElements(By.cssSelector("#query-result tbody tr:first-child td"));
        assertThat(firstRow.get(0).getText()).isEqualTo(rows.get(0).get(0));
        double shown = Double.parseDouble(firstRow.get(1).getText().replace(",", ""));
        assertThat(shown).isCloseTo(((Number) rows.get(0).get(1)).doubleValue(), within(0.01));
        assertThat(text("#sql")).contains("SELECT").contains("orders");
        screenshot("metric-revenue-by-day");

        // A bad filter is the API's problem message on the page, not a blank page.
        find("#filters").clear();
        type(find("#filters"), "nosuchdimension=x");
        find("#run-query").click();
        assertThat(await(() -> text("#query-result"), t -> t.contains("nosuchdimension"))).contains("nosuchdimension");
        screenshot("metric-bad-filter");
    }

    @Test
    void theCheckoutRedesignPageShowsTheCupedEstimateTheApiGives() {
        JsonPath api = given().post("/api/v1/experiments/checkout_redesign/analysis").then().statusCode(200)
                .extract().jsonPath();
        double cuped = api.getDouble("results.find { it.metric == 'revenue' }.cuped.estimate");
        double reduction = api.getDouble("results.find { it.metric == 'revenue' }.cuped.variance_reduction");

        open("#/experiments/checkout_redesign");
        String estimate = await(() -> text("[data-cell='cuped-estimate-revenue-treatment']"), t -> !t.isBlank());
        assertThat(Double.parseDouble(estimate)).isCloseTo(cuped, within(Math.abs(cuped) * 1e-3));
        assertThat(text("[data-cell='variance-reduction-revenue-treatment']"))
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f%%", reduction * 100));
        assertThat(text("#srm")).startsWith("SRM p = ");
        assertThat(browser.findElements(By.cssSelector("#forest-plot canvas"))).isNotEmpty();
        screenshot("experiment-checkout-redesign");

        // Results over time: one point per day the API answers, drawn per metric.
        int days = given().post("/api/v1/experiments/checkout_redesign/analysis?by=day").then().statusCode(200)
                .extract().jsonPath().getList("by_day").size();
        find("#run-by-day").click();
        String summary = await(() -> text("#by-day-summary"), t -> !t.isBlank());
        assertThat(summary).startsWith(days + " days");
        assertThat(browser.findElements(By.cssSelector("[data-by-day='revenue-treatment'] canvas"))).isNotEmpty();

        // Slices by the plan each customer had when assigned: the API's slice values, each with its own SRM.
        List<String> plans = given().post("/api/v1/experiments/checkout_redesign/analysis?slice=customer_profile__plan")
                .then().statusCode(200).extract().jsonPath().<Object>getList("slices.value").stream()
                .map(String::valueOf).toList();
        find("#slice-by").sendKeys("customer_profile__plan");
        find("#run-slices").click();
        String sliced = await(() -> text("#slices"), t -> t.contains("customer_profile__plan"));
        assertThat(plans).isNotEmpty().allSatisfy(plan -> assertThat(sliced).contains(plan));
        screenshot("experiment-over-time-and-slices");
    }

    @Test
    void runningModelAccuracyAtTwoTimesChangesItsState() {
        // The model is accurate in early February and degrades later in the example data.
        open("#/monitors/model_accuracy");
        runMonitorAt("2026-02-10T12:00");
        assertThat(evaluationState("2026-02-10 12:00:00Z")).isEqualTo("ok");
        screenshot("monitor-ok");

        runMonitorAt("2026-02-20T12:00");
        assertThat(evaluationState("2026-02-20 12:00:00Z")).isEqualTo("alerting");
        JsonPath api = given().get("/api/v1/monitors/model_accuracy").then().statusCode(200).extract().jsonPath();
        // The headline is the newest evaluation, as the API says.
        assertThat(find("h1 .state").getAttribute("data-state")).isEqualTo(api.getString("state"));
        assertThat(Integer.parseInt(find("#monitor-chart").getAttribute("data-points")))
                .isEqualTo(api.getList("evaluations").size()).isGreaterThanOrEqualTo(2);
        assertThat(text("#view")).contains("alerts below 0.75");
        screenshot("monitor-alerting");
    }

    /** The state the evaluations table shows for the evaluation at {@code evaluatedAt}, once it is there. */
    private String evaluationState(String evaluatedAt) {
        By row = By.xpath("//h2[starts-with(., 'Evaluations')]/following::tr[td[1][text()='" + evaluatedAt
                + "']]//span[@data-state]");
        return await(() -> browser.findElement(row).getAttribute("data-state"), s -> !s.isBlank());
    }

    @Test
    void aMaterializationStartedInTheConsoleRunsToTheEnd() {
        open("#/jobs");
        setValue("#materialize-end", "2026-03-02T00:00");
        int before = browser.findElements(By.cssSelector("#jobs .job-id")).size();
        find("#materialize").click();
        await(() -> browser.findElements(By.cssSelector("#jobs .job-id")).size(), n -> n > before);
        String state = await(() -> find("#jobs tbody tr:first-child .state").getAttribute("data-state"),
                s -> s.equals("succeeded") || s.equals("failed"));
        assertThat(state).isEqualTo("succeeded");
        String id = find("#jobs tbody tr:first-child .job-id").getAttribute("data-job");
        JsonPath job = given().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getString("state")).isEqualTo("succeeded");
        assertThat(find("#jobs tbody tr:first-child [role=progressbar]").getAttribute("aria-valuenow"))
                .isEqualTo("100");
        assertThat(text("#jobs tbody tr:first-child")).contains(String.format(java.util.Locale.ROOT, "%,d rows",
                job.getLong("progress.rows_written")));
        screenshot("jobs-materialized");
    }

    @Test
    void aReaderKeySignsInAndSeesResultsButNoActions() {
        String name = "console-reader-" + System.nanoTime();
        String key = keys.create(name, "reader", "test").key();
        try {
            open("#/login");
            type(find("#key"), key);
            find("#sign-in").click();
            assertThat(await(() -> text("#whoami"), t -> !t.isBlank())).isEqualTo(name + " · reader");

            open("#/monitors/model_accuracy");
            await(() -> text("h1"), t -> t.startsWith("model_accuracy"));
            assertThat(browser.findElements(By.id("run-monitor"))).isEmpty();
            open("#/jobs");
            await(() -> text("h1"), "Jobs"::equals);
            assertThat(browser.findElements(By.id("materialize"))).isEmpty();

            // A reader may not analyse, but may plan: the power calculator answers what the API answers.
            open("#/experiments/checkout_redesign");
            assertThat(text("#needs-role")).contains("analyst role");
            find("#power-compute").click();
            String shown = await(() -> text("#power-n"), t -> !t.isBlank());
            int expected = given().header("Authorization", "Bearer " + key).contentType("application/json")
                    .body("{\"baseline_mean\": 80, \"baseline_sd\": 100, \"mde_relative\": 0.05, \"alpha\": 0.05,"
                            + " \"power\": 0.8}")
                    .post("/api/v1/power").then().statusCode(200).extract().path("n_per_variant");
            assertThat(shown).isEqualTo(String.format(java.util.Locale.US, "%,d", expected));
            screenshot("reader-experiment");
        } finally {
            // Sign out, so that the tab forgets the key, and revoke it: the example server is back in protected mode.
            open("#/login");
            keys.revoke(name, "test");
        }
    }

    @Test
    void theFeatureViewPagePreviewsATrainingSetAsTheApiAnswersIt() {
        String csv = given().contentType("application/json").accept("text/csv").body("""
                {"features": ["customer_profile:plan", "customer_profile:credit_limit"],
                 "entities": {"customer_id": ["cust_00001", "cust_00002"],
                              "event_timestamp": ["2026-02-20T12:00:00Z", "2026-02-20T12:00:00Z"]}}""")
                .post("/api/v1/training-sets").then().statusCode(200).extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(3);

        open("#/feature-views/customer_profile");
        assertThat(text("#view")).contains("credit_limit");
        type(find("input.ts-key[data-key='customer_id']"), "cust_00001, cust_00002");
        find("#ts-preview").click();
        await(() -> browser.findElements(By.cssSelector("#training-set tbody tr")).size(), n -> n == 2);
        List<String> header = texts("#training-set th");
        assertThat(String.join(",", header)).isEqualTo(lines.get(0));
        List<String> first = texts("#training-set tbody tr:first-child td");
        String[] expected = lines.get(1).split(",", -1);
        assertThat(first.get(0)).isEqualTo(expected[0]);
        String plan = expected[header.indexOf("customer_profile__plan")];
        assertThat(plan).isNotEmpty();
        assertThat(first.get(header.indexOf("customer_profile__plan"))).isEqualTo(plan);
        screenshot("feature-view-training-set");
    }

    @Test
    void onAPhoneTheMenuFoldsAndTheCatalogStillReads() {
        browser.manage().window().setSize(new Dimension(390, 844));
        open("#/catalog/metric/prediction_accuracy");
        assertThat(await(() -> text("#definition"), t -> !t.isBlank())).contains("kind: metric")
                .contains("numerator: correct_leads");
        assertThat(find("#nav").isDisplayed()).isFalse();
        find("#menu").click();
        assertThat(find("#nav").isDisplayed()).isTrue();
        Long scrollWidth = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth");
        assertThat(scrollWidth).isLessThanOrEqualTo(390L);
        screenshot("phone-catalog-object");
    }

    private void runMonitorAt(String localTime) {
        setValue("#run-at", localTime);
        find("#run-monitor").click();
    }

    private void open(String route) {
        // A fresh document each time, so that nothing of the page before can answer for this one.
        browser.get("about:blank");
        browser.get(console + route);
        await(() -> browser.findElements(By.cssSelector("#view > *")).size() > 0
                && browser.findElements(By.cssSelector("#view > p.muted")).isEmpty(), Boolean::booleanValue);
    }

    private WebElement find(String css) {
        return await(() -> browser.findElement(By.cssSelector(css)), e -> true);
    }

    private String text(String css) {
        return find(css).getText();
    }

    private List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private double x(String node) {
        String transform = find("#lineage-svg g.node[data-id='" + node + "']").getAttribute("transform");
        return Double.parseDouble(transform.substring("translate(".length(), transform.indexOf(',')));
    }

    private static void type(WebElement input, String text) {
        input.sendKeys(text);
    }

    private void setValue(String css, String value) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", find(css), value);
    }

    /** Polls until {@code accept} holds, failing with the last value seen; the page renders asynchronously. */
    private static <T> T await(Supplier<T> read, java.util.function.Predicate<T> accept) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = read.get();
                if (last != null && accept.test(last)) {
                    return last;
                }
                lastError = null;
            } catch (WebDriverException | NumberFormatException e) {
                lastError = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        screenshot("timeout");
        throw new AssertionError("waited " + PATIENCE.toSeconds() + " s; last seen: " + last, lastError);
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | WebDriverException e) {
            // A screenshot is for people; failing to write one must not hide the test's own verdict.
        }
    }
}
