package dev.fletcher.server.stream;

import static dev.fletcher.server.stream.StreamTest.assertRow;
import static dev.fletcher.server.stream.StreamTest.valuesAsOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.online.SecondRedis;
import dev.fletcher.server.stream.StreamTest.Txn;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stream's consumer loses its work under it: the Redis that holds its committed state is frozen, then killed,
 * while events arrive. Each commit that cannot land makes the processor drop what it held and read the topic again
 * from its committed offsets; the events read twice must count once, in the same values the warehouse gives.
 */
@QuarkusTest
@TestProfile(StreamRedisProfile.class)
class StreamRedeliveryTest {
    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    private void both(Txn... txns) {
        StreamTest.both(warehouses, txns);
    }

    private static double restarts() {
        String text = given().get("/q/metrics").asString();
        Matcher m = Pattern.compile("^fletcher_stream_restarts_total\\{[^}]*feature_view=\"st_txn\"[^}]*\\} (\\S+)$",
                Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    private static void awaitRestarts(double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (restarts() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(restarts()).as("processor restarts").isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void eventsReadAgainAfterTheConsumerLostItsWorkCountOnce() throws Exception {
        StreamTest.start(warehouses, memory, catalog);

        // W = 11:10: c1 10 @10:00, 5 @10:30, 1 @11:10; c2 7 @10:45 (worked out in StreamTest).
        both(new Txn(0, "c1", 10.0, "2026-01-10T10:00:00Z"), new Txn(0, "c1", 5.0, "2026-01-10T10:30:00Z"),
                new Txn(1, "c2", 7.0, "2026-01-10T10:45:00Z"), new Txn(0, "c1", 1.0, "2026-01-10T11:10:00Z"));
        List<Map<String, Object>> rows = valuesAsOf("2026-01-10T11:10:00Z");
        assertRow(rows.get(0), "c1", 1.0, 6.0, 3, 10.0, 2, 0.6);
        double before = restarts();

        // Frozen: the commit of c1's 3 @12:30 times out (the store's timeout is 1 s), and may still land when Redis
        // thaws. Either way c1 counts it once: 3, 3, 4, 10, 2, 0.3 (twice would make 6, 6, 5).
        SecondRedis.signal("STOP");
        try {
            both(new Txn(0, "c1", 3.0, "2026-01-10T12:30:00Z"));
            awaitRestarts(before + 1);
        } finally {
            SecondRedis.signal("CONT");
        }
        rows = valuesAsOf("2026-01-10T12:30:00Z");
        assertRow(rows.get(0), "c1", 3.0, 3.0, 4, 10.0, 2, 0.3);
        assertRow(rows.get(1), "c2", null, 0.0, 1, 7.0, 1, 0.0);
        StreamTest.assertConsistent(2);

        // Killed outright (its log is fsynced, as a production Redis's would be): c2's 1 @12:40 is read, cannot be
        // committed, and is read again once Redis is back. c2: 1, 1, 2, 7, 1, 1/7; c1 unchanged at W = 12:40.
        double frozen = restarts();
        SecondRedis.kill();
        try {
            both(new Txn(1, "c2", 1.0, "2026-01-10T12:40:00Z"));
            awaitRestarts(frozen + 1);
        } finally {
            SecondRedis.launch();
        }
        rows = valuesAsOf("2026-01-10T12:40:00Z");
        assertRow(rows.get(0), "c1", 3.0, 3.0, 4, 10.0, 2, 0.3);
        assertRow(rows.get(1), "c2", 1.0, 1.0, 2, 7.0, 1, 1.0 / 7.0);
        assertRow(rows.get(2), "c3", null, null, null, null, null, null);
        StreamTest.assertConsistent(2);
    }
}
