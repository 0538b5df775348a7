package dev.fletcher.server.online;

import static dev.fletcher.server.online.OnlineFixture.T1;
import static dev.fletcher.server.online.OnlineFixture.materialize;
import static dev.fletcher.server.online.OnlineFixture.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis frozen, killed and restarted under a running server: 503 problems within the timeout, then recovery. */
@QuarkusTest
@TestProfile(RedisFaultProfile.class)
class RedisFaultTest {
    private static final Map<String, Object> BODY = Map.of("features", List.of("ol_txn:amount_sum_1h"),
            "entities", Map.of("customer_id", List.of("c1")));

    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    @Test
    void readsAnswer503WithinTheTimeoutWhileRedisIsDownAndRecoverByThemselves() throws Exception {
        OnlineFixture.install(warehouses, catalog, memory);
        assertThat(materialize(Map.of("feature_views", List.of("ol_txn"), "end", T1.toString())).getString("state"))
                .isEqualTo("succeeded");
        assertServed();

        // Frozen: the connection stays open and nothing answers; the configured 1000 ms timeout bounds the read.
        SecondRedis.signal("STOP");
        try {
            long started = System.nanoTime();
            Response frozen = read(BODY);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertUnavailable(frozen);
            assertThat(millis).as("answered after %d ms", millis).isBetween(900L, 3_000L);
        } finally {
            SecondRedis.signal("CONT");
        }
        assertRecovers();

        // Killed: connections are refused at once.
        SecondRedis.kill();
        long started = System.nanoTime();
        Response down = read(BODY);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertUnavailable(down);
        assertThat(millis).as("answered after %d ms", millis).isLessThan(2_000L);
        assertUnavailable(read(BODY));

        SecondRedis.launch();
        assertRecovers();
    }

    private static void assertUnavailable(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.jsonPath().getString("detail")).contains("Redis (redis://127.0.0.1:" + SecondRedis.port);
    }

    private static void assertServed() {
        Response ok = read(BODY);
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
        // c1: 10.0 @09:30 and 5.0 @10:00 are in the hour before T1
        assertThat(ok.jsonPath().getDouble("rows[0].ol_txn__amount_sum_1h")).isEqualTo(15.0);
    }

    /** With no action of ours, reads are served again within a few seconds. */
    private static void assertRecovers() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = read(BODY);
            if (last.statusCode() == 200) {
                assertServed();
                return;
            }
            assertThat(last.statusCode()).as(last.asString()).isEqualTo(503);
            Thread.sleep(100);
        }
        throw new AssertionError("reads did not recover within 10 s: " + (last == null ? "" : last.asString()));
    }
}
