package dev.fletcher.spi.stream;

import java.util.Map;

/**
 * One message, decoded into a row of the source: column name to value (String, Long, Double, Boolean, or null;
 * times as the message wrote them, ISO-8601 text or epoch milliseconds). A message that cannot be decoded has a null
 * row and says why in {@code error}.
 */
public record StreamRecord(int partition, long offset, Map<String, Object> row, String error) {
}
