package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Source;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.time.Instant;

/** The newest event time a source holds: how far its data has been ingested, the default online watermark. */
public final class WatermarkSql {
    private WatermarkSql() {
    }

    /** One row, one timestamp column {@code _fl_newest}: the newest event time not after {@code notAfter}, or null. */
    public static Statement newestEventTime(Source source, Dialect dialect, Instant notAfter) {
        String ts = "s." + dialect.quoteIdentifier(source.timestamp());
        return Statement.of(Select.of("MAX(" + Sql.timestamp(dialect, ts) + ") AS _fl_newest")
                .from(Sql.relation(dialect, source), "s").where(ts + " <= " + dialect.timestampParameter()).inline(),
                notAfter);
    }
}
