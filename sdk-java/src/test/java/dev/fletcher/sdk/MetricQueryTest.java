package dev.fletcher.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.sdk.MetricQuery.Filter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics query's request body and answer, without a server; the round trips are tested in the server module. */
class MetricQueryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesTheContractsFieldNamesAndLeavesOutWhatIsUnset() throws Exception {
        MetricQuery query = MetricQuery.of("revenue", "orders")
                .groupBy("metric_time__week", "country")
                .where(Filter.in("country", "DE", "FR"), Filter.ge("metric_time__day", LocalDate.parse("2026-03-02")),
                        Filter.isNull("channel"))
                .between(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-04-01"))
                .fill(true)
                .orderBy("-revenue")
                .limit(1000);
        assertThat(JSON.writeValueAsString(query.toJson())).isEqualTo("{\"metrics\":[\"revenue\",\"orders\"],"
                + "\"group_by\":[\"metric_time__week\",\"country\"],"
                + "\"where\":[{\"dimension\":\"country\",\"op\":\"in\",\"values\":[\"DE\",\"FR\"]},"
                + "{\"dimension\":\"metric_time__day\",\"op\":\">=\",\"value\":\"2026-03-02\"},"
                + "{\"dimension\":\"channel\",\"op\":\"is_null\"}],"
                + "\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-04-01T00:00:00Z\",\"fill\":true,"
                + "\"order_by\":[\"-revenue\"],\"limit\":1000}");
        assertThat(JSON.writeValueAsString(MetricQuery.of("revenue").toJson())).isEqualTo("{\"metrics\":[\"revenue\"]}");
        // Each call answers a copy; the original query is unchanged.
        assertThat(query.groupBy("country").groupBy()).containsExactly("country");
        assertThat(query.groupBy()).containsExactly("metric_time__week", "country");
    }

    @Test
    void filterValuesTravelAsTextNumbersOrBooleans() {
        ZonedDateTime berlin = ZonedDateTime.of(2026, 3, 1, 1, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        assertThat(Filter.eq("metric_time__hour", berlin).values()).containsExactly("2026-03-01T01:00+01:00");
        assertThat(Filter.lt("metric_time__hour", Instant.parse("2026-03-01T00:00:00Z")).values())
                .containsExactly("2026-03-01T00:00:00Z");
        assertThat(Filter.notIn("amount", List.of(1, 2.5)).values()).containsExactly(1, 2.5);
        assertThat(Filter.ne("vip", true).toJson()).containsEntry("value", true).doesNotContainKey("values");
    }

    @Test
    void refusesQueriesTheServerWouldRefuse() {
        assertThatThrownBy(() -> MetricQuery.of(List.of())).hasMessageContaining("at least one metric");
        assertThatThrownBy(() -> MetricQuery.of("revenue").limit(-1)).hasMessageContaining("limit");
        assertThatThrownBy(() -> Filter.eq("country", null)).hasMessageContaining("isNull");
        assertThatThrownBy(() -> Filter.in("country")).hasMessageContaining("one or more values");
        assertThatThrownBy(() -> new Filter("country", "like", List.of("D%"))).hasMessageContaining("not an op");
        assertThatThrownBy(() -> Filter.eq("country", new Object())).hasMessageContaining("Object");
    }

    @Test
    void readsTheAnswerWithTypedValues() throws Exception {
        MetricQueryResult answer = MetricQueryResult.fromJson(JSON.readTree("""
                {"columns": ["metric_time__day", "country", "orders", "revenue", "first_order"],
                 "rows": [["2026-03-02T00:00:00Z", "DE", 12, 310.5, "2026-01-05"],
                          ["2026-03-03T00:00:00Z", null, 0, null, null]],
                 "sql": "SELECT ..."}"""));
        assertThat(answer.rowCount()).isEqualTo(2);
        assertThat(answer.value(0, "orders")).isEqualTo(12L);
        assertThat(answer.value(0, "revenue")).isEqualTo(310.5);
        assertThat(answer.number(0, "orders")).isEqualTo(12.0);
        assertThat(answer.time(0, "metric_time__day")).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(answer.time(0, "first_order")).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
        assertThat(answer.row(1)).containsEntry("country", null).containsEntry("orders", 0L);
        assertThat(answer.number(1, "revenue")).isNull();
        assertThat(answer.sql()).isEqualTo("SELECT ...");
        assertThatThrownBy(() -> answer.value(0, "plan")).hasMessageContaining("no column 'plan'");
        assertThatThrownBy(() -> answer.number(0, "country")).hasMessageContaining("not a number");
    }
}
