WITH _fl_rows0 AS NOT MATERIALIZED (
  SELECT e.*, CAST(e."ordered_at" AS TIMESTAMP) AS _fl_ts, (revenue) AS _fl_x0
  FROM (
    SELECT s.*
    FROM "orders{}" AS s
    WHERE s."ordered_at" >= CAST(? AS TIMESTAMP) AND s."ordered_at" < CAST(? AS TIMESTAMP)
  ) AS e
),
_fl_cumulative1_spine AS (
  SELECT CAST(_fl_b AS TIMESTAMP) AS _fl_b
  FROM generate_series(date_trunc('day', CAST(? AS TIMESTAMP)), CAST(? AS TIMESTAMP), INTERVAL '1' DAY) AS _fl_series(_fl_b)
  WHERE _fl_b < CAST(? AS TIMESTAMP)
),
_fl_cumulative1_anchors AS MATERIALIZED (
  SELECT row_number() OVER () AS _fl_row, s._fl_b AS _fl_g0, CAST((s._fl_b + INTERVAL '1' DAY) AS TIMESTAMP) AS _fl_t, CAST(date_trunc('month', s._fl_b) AS TIMESTAMP) AS _fl_from, 1 AS _fl_one
  FROM _fl_cumulative1_spine AS s
),
_fl_cumulative1_bounds AS (
  SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM _fl_cumulative1_anchors
),
_fl_cumulative1_p0_src AS NOT MATERIALIZED (
  SELECT s."_fl_one" AS _fl_k0,
    CAST(s."_fl_ts" AS TIMESTAMP) AS _fl_ts,
    s."_fl_pm" AS _fl_c0,
    s."_fl_pn" AS _fl_c1
  FROM (
    SELECT "_fl_one", CAST(date_trunc('day', _fl_ts) AS TIMESTAMP) AS _fl_ts, CAST(SUM(CASE WHEN (status <> 'refunded') THEN _fl_x0 END) AS DOUBLE) AS _fl_pm, CAST(COUNT(CASE WHEN (status <> 'refunded') THEN 1 END) AS BIGINT) AS _fl_pn FROM (SELECT *, 1 AS _fl_one FROM _fl_rows0) AS r GROUP BY "_fl_one", CAST(date_trunc('day', _fl_ts) AS TIMESTAMP)
  ) AS s
  WHERE s."_fl_ts" <= (SELECT _fl_hi FROM _fl_cumulative1_bounds)
),
_fl_cumulative1_p0_win AS (
  SELECT a._fl_row AS _fl_row,
    CAST(SUM(s._fl_c0) AS DOUBLE) AS _fl_m0,
    CAST(SUM(s._fl_c1) AS BIGINT) AS _fl_m1
  FROM _fl_cumulative1_anchors AS a
  JOIN _fl_cumulative1_p0_src AS s ON s._fl_k0 IS NOT DISTINCT FROM a._fl_one AND s._fl_ts >= a._fl_from AND s._fl_ts < a._fl_t
  GROUP BY a._fl_row
),
_fl_cumulative1_p0 AS (
  SELECT a._fl_row AS _fl_row,
    COALESCE(w._fl_m0, 0) AS "_fl_m",
    COALESCE(w._fl_m1, 0) AS "_fl_n"
  FROM _fl_cumulative1_anchors AS a
  LEFT JOIN _fl_cumulative1_p0_win AS w ON w._fl_row = a._fl_row
),
_fl_cumulative1 AS (
  SELECT a._fl_g0 AS _fl_g0, p0."_fl_m" AS _fl_v
  FROM _fl_cumulative1_anchors AS a
  JOIN _fl_cumulative1_p0 AS p0 ON p0._fl_row = a._fl_row
  WHERE p0."_fl_n" > 0
),
_fl_rows2 AS NOT MATERIALIZED (
  SELECT e.*, CAST(e."created_at" AS TIMESTAMP) AS _fl_ts
  FROM (
    SELECT s.*
    FROM "leads{}" AS s
    WHERE s."created_at" >= CAST(? AS TIMESTAMP) AND s."created_at" < CAST(? AS TIMESTAMP)
  ) AS e
),
_fl_conversion3_anchors AS MATERIALIZED (
  SELECT row_number() OVER () AS _fl_row, date_trunc('day', _fl_ts) AS _fl_g0, "lead_id" AS _fl_e0, _fl_ts AS _fl_t
  FROM _fl_rows2
),
_fl_conversion3_bounds AS (
  SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM _fl_conversion3_anchors
),
_fl_conversion3_events_src AS NOT MATERIALIZED (
  SELECT s."lead_id" AS _fl_k0,
    CAST(s."converted_at" AS TIMESTAMP) AS _fl_ts
  FROM "conversions{}" AS s
  WHERE s."converted_at" >= (SELECT _fl_lo FROM _fl_conversion3_bounds) AND s."converted_at" <= (SELECT (_fl_hi + INTERVAL '86400' SECOND) FROM _fl_conversion3_bounds)
),
_fl_conversion3_events_win AS (
  SELECT a._fl_row AS _fl_row,
    CAST(COUNT(*) AS BIGINT) AS _fl_m0
  FROM _fl_conversion3_anchors AS a
  JOIN _fl_conversion3_events_src AS s ON s._fl_k0 = a._fl_e0 AND s._fl_ts >= a._fl_t AND s._fl_ts < (a._fl_t + INTERVAL '86400' SECOND)
  GROUP BY a._fl_row
),
_fl_conversion3_events AS (
  SELECT a._fl_row AS _fl_row,
    COALESCE(w._fl_m0, 0) AS "_fl_c"
  FROM _fl_conversion3_anchors AS a
  LEFT JOIN _fl_conversion3_events_win AS w ON w._fl_row = a._fl_row
),
_fl_conversion3 AS (
  SELECT a._fl_g0 AS _fl_g0, CAST(SUM(CASE WHEN c."_fl_c" > 0 THEN 1 ELSE 0 END) AS DOUBLE) / NULLIF(CAST(COUNT(*) AS DOUBLE), 0) AS _fl_v
  FROM _fl_conversion3_anchors AS a
  JOIN _fl_conversion3_events AS c ON c._fl_row = a._fl_row
  GROUP BY a._fl_g0
),
_fl_union4 AS (
  SELECT b0._fl_g0, b0._fl_v AS _fl_s0, b1._fl_v AS _fl_s1 FROM _fl_cumulative1 AS b0 CROSS JOIN _fl_conversion3 AS b1 WHERE 1 = 0
  UNION ALL
  SELECT _fl_g0, _fl_v AS _fl_s0, NULL AS _fl_s1 FROM _fl_cumulative1
  UNION ALL
  SELECT _fl_g0, NULL AS _fl_s0, _fl_v AS _fl_s1 FROM _fl_conversion3
),
_fl_all5 AS (
  SELECT _fl_g0, MAX(_fl_s0) AS _fl_s0, MAX(_fl_s1) AS _fl_s1
  FROM (
    SELECT * FROM _fl_union4
  ) AS u
  GROUP BY _fl_g0
)
SELECT * FROM (
  SELECT _fl_g0 AS "metric_time__day",
    _fl_s0 AS "revenue_mtd",
    _fl_s1 AS "lead_conversion"
  FROM _fl_all5
) AS _fl_answer
ORDER BY "metric_time__day" ASC NULLS LAST
