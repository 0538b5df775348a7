package dev.fletcher.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer of an online read: one row per entity, in the order sent, with the entity's key columns as sent and
 * one value per feature named {@code <view>__<feature>} (null for an entity the store does not hold); and per view,
 * the watermark its values are as of.
 *
 * @param rows each row as JSON ({@code row.get("customer_profile__plan").asText()})
 */
public record OnlineFeatures(List<JsonNode> rows, Map<String, Instant> asOf) {
    public OnlineFeatures {
        rows = List.copyOf(rows);
        asOf = Map.copyOf(asOf);
    }

    /** One feature's value in one row, as JSON (a null node when null). */
    public JsonNode value(int row, String column) {
        return rows.get(row).path(column);
    }
}
