package dev.fletcher.warehouse.trino;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LEFT JOIN NEAREST is used from the server's version on, never on an older or unknown one. */
class TrinoVersionTest {
    @TempDir
    Path dataDir;

    @Test
    void nearestJoinFromVersion481() {
        assertThat(TrinoDialect.hasNearestJoin("481")).isTrue();
        assertThat(TrinoDialect.hasNearestJoin("483")).isTrue();
        assertThat(TrinoDialect.hasNearestJoin("481-e.1")).isTrue();
        assertThat(TrinoDialect.hasNearestJoin("1000")).isTrue();
        assertThat(TrinoDialect.hasNearestJoin("480")).isFalse();
        assertThat(TrinoDialect.hasNearestJoin("476")).isFalse();
        assertThat(TrinoDialect.hasNearestJoin("476-SNAPSHOT")).isFalse();
        assertThat(TrinoDialect.hasNearestJoin("")).isFalse();
        assertThat(TrinoDialect.hasNearestJoin("unknown")).isFalse();
        assertThat(TrinoDialect.hasNearestJoin(null)).isFalse();
    }

    @Test
    void theCapabilityFollowsTheDecision() {
        assertThat(new TrinoDialect(true).capabilities().asofJoin()).isTrue();
        assertThat(new TrinoDialect(false).capabilities().asofJoin()).isFalse();
        assertThat(new TrinoDialect(true).asofJoin("r", "l", java.util.List.of("a.k = l.k"), "a.o", "l.o"))
                .isEqualTo("LEFT JOIN NEAREST (FROM r AS l WHERE a.k = l.k MATCH a.o >= l.o) AS l ON TRUE");
    }

    @Test
    void theTestServerIsDecidedFromItsVersion() {
        TrinoWarehouse warehouse = (TrinoWarehouse) TrinoTestServer.shared().warehouse("version", dataDir);
        try {
            // The build's server is 476; -Dtrino.test.home may name a newer one.
            boolean nearest = TrinoDialect.hasNearestJoin(warehouse.serverVersion());
            assertThat(warehouse.serverVersion()).matches("\\d+.*");
            assertThat(((TrinoDialect) warehouse.dialect()).nearestJoin()).isEqualTo(nearest);
            assertThat(warehouse.capabilities().asofJoin()).isEqualTo(nearest);
        } finally {
            warehouse.close();
        }
    }
}
