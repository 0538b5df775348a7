package dev.fletcher.conformance.engine;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.MetricFilter;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.engine.sql.MetricColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics catalog of {@link MetricConformanceTest}, whose tables are named {@code <table>{}} with a per-run
 * suffix in place of {@code {}}, and the queries whose rendered SQL the golden files {@code golden/metrics-<case>.*}
 * hold: rendered once from the columns a warehouse describes and once from {@link #DESCRIBED}, with none.
 */
final class MetricFixtures {
    private MetricFixtures() {
    }

    static final String CATALOG = """
            kind: entity
            name: customer
            keys: [customer_id]
            ---
            kind: entity
            name: lead
            keys: [lead_id]
            ---
            kind: source
            name: orders
            table: orders{}
            timestamp: ordered_at
            entity_columns: {customer: customer_id}
            ---
            kind: source
            name: profiles
            table: profiles{}
            timestamp: updated_at
            entity_columns: {customer: customer_id}
            ---
            kind: source
            name: scores
            table: scores{}
            timestamp: scored_at
            ---
            kind: source
            name: leads
            table: leads{}
            timestamp: created_at
            entity_columns: {lead: lead_id}
            ---
            kind: source
            name: conversions
            table: conversions{}
            timestamp: converted_at
            entity_columns: {lead: lead_id}
            ---
            kind: feature_view
            name: customer_profile
            entity: customer
            source: profiles
            features:
              - {name: plan, column: plan}
            ---
            kind: metric
            name: revenue
            source: orders
            entity: customer
            measure: {agg: sum, expr: revenue}
            filter: "status <> 'refunded'"
            dimensions: [country]
            ---
            kind: metric
            name: orders
            source: orders
            measure: {agg: count}
            dimensions: [country, status]
            ---
            kind: metric
            name: buyers
            source: orders
            measure: {agg: count_distinct, expr: customer_id}
            dimensions: [country]
            ---
            kind: metric
            name: avg_order
            source: orders
            measure: {agg: avg, expr: revenue}
            dimensions: [country]
            ---
            kind: metric
            name: min_order
            source: orders
            measure: {agg: min, expr: revenue}
            filter: "status = 'completed'"
            dimensions: [country]
            ---
            kind: metric
            name: max_order
            source: orders
            measure: {agg: max, expr: revenue}
            dimensions: [country]
            ---
            kind: metric
            name: refunded_amount
            source: orders
            measure: {agg: sum, expr: revenue}
            filter: "status = 'refunded'"
            dimensions: [country]
            ---
            kind: metric
            name: revenue_to_refunds
            type: ratio
            numerator: revenue
            denominator: refunded_amount
            ---
            kind: metric
            name: revenue_per_order
            type: derived
            expr: "revenue / nullif(orders, 0)"
            metrics: [revenue, orders]
            ---
            kind: metric
            name: revenue_growth
            type: derived
            expr: "(revenue - revenue_prev) / nullif(revenue_prev, 0)"
            metrics: [revenue, {name: revenue, offset: 2d, alias: revenue_prev}]
            ---
            kind: metric
            name: revenue_3d
            type: cumulative
            metric: revenue
            window: 3d
            ---
            kind: metric
            name: revenue_mtd
            type: cumulative
            metric: revenue
            grain_to_date: month
            ---
            kind: metric
            name: leads
            source: leads
            entity: lead
            measure: {agg: count}
            dimensions: [referrer]
            ---
            kind: metric
            name: conversions
            source: conversions
            entity: lead
            measure: {agg: count}
            ---
            kind: metric
            name: lead_conversion
            type: conversion
            entity: lead
            base: leads
            conversion: conversions
            window: 1d
            """;

    /** The golden queries by case name: every metric type, offsets, point-in-time dimensions, where and fill. */
    static final Map<String, MetricQuery> GOLDEN = golden();

    private static Map<String, MetricQuery> golden() {
        Map<String, MetricQuery> queries = new LinkedHashMap<>();
        queries.put("simple-ratio-derived", query(List.of("revenue", "revenue_to_refunds", "revenue_growth"),
                List.of("metric_time__week", "country"), "2026-03-01", "2026-04-01"));
        queries.put("cumulative-conversion", query(List.of("revenue_mtd", "lead_conversion"),
                List.of("metric_time__day"), "2026-03-01", "2026-03-08"));
        queries.put("cumulative-by-point-in-time", query(List.of("revenue_3d"),
                List.of("metric_time__day", "customer_profile__plan"), "2026-03-01", "2026-03-08"));
        queries.put("point-in-time-where-fill", with(query(List.of("orders"), List.of("metric_time__month",
                "customer_profile__plan"), "2026-01-01", "2026-04-01"), List.of(new MetricFilter("country",
                MetricFilter.Op.IN, List.of("DE", "FR"))), true, List.of("-orders"), 10L));
        return queries;
    }

    private static final List<Column> ORDERS = List.of(string("order_id"), string("customer_id"),
            time("ordered_at"), number("revenue"), string("status"), string("country"));
    private static final List<Column> LEADS = List.of(string("lead_id"), time("created_at"), string("referrer"));

    /**
     * The conformance tables as both warehouses describe them, and the rows the golden queries read: a source's own
     * columns, the point-in-time dimension, the event time and the one measure expression ({@code revenue}).
     */
    static final MetricColumns DESCRIBED = new MetricColumns(
            Map.of("orders", ORDERS,
                    "profiles", List.of(string("customer_id"), time("updated_at"), string("plan")),
                    "leads", LEADS,
                    "conversions", List.of(string("lead_id"), time("converted_at"))),
            Map.of("orders", plus(ORDERS, string("customer_profile__plan"), time("_fl_ts"), number("_fl_x0")),
                    "leads", plus(LEADS, time("_fl_ts"))));

    static Catalog catalog(String suffix) {
        return Catalog.of(BundleParser.parse("metrics.yaml", CATALOG.replace("{}", suffix)).objects().stream()
                .map(ParsedObject::object).toList());
    }

    static Instant t(String text) {
        return Instant.parse(text.length() == 10 ? text + "T00:00:00Z" : text + (text.endsWith("Z") ? "" : "Z"));
    }

    static MetricQuery query(List<String> metrics, List<String> groupBy, String start, String end) {
        return new MetricQuery(metrics, groupBy, List.of(), start == null ? null : t(start),
                end == null ? null : t(end), false, List.of(), null, false);
    }

    static MetricQuery with(MetricQuery q, List<MetricFilter> where, boolean fill, List<String> orderBy,
            Long limit) {
        return new MetricQuery(q.metrics(), q.groupBy(), where, q.start(), q.end(), fill, orderBy, limit, q.trailing());
    }

    private static List<Column> plus(List<Column> columns, Column... more) {
        List<Column> all = new ArrayList<>(columns);
        all.addAll(List.of(more));
        return all;
    }

    private static Column string(String name) {
        return new Column(name, ColumnKind.STRING);
    }

    private static Column time(String name) {
        return new Column(name, ColumnKind.TIMESTAMP);
    }

    private static Column number(String name) {
        return new Column(name, ColumnKind.FLOATING);
    }
}
