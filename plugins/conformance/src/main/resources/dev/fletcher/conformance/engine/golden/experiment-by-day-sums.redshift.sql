WITH _fx_assigned AS (
  SELECT s."customer_id" AS _fx_k0, CAST(s."assigned_at" AS TIMESTAMP) AS _fx_at, CAST(s."variant" AS VARCHAR(MAX)) AS _fx_variant
  FROM "assignments" AS s
  WHERE s."customer_id" IS NOT NULL AND s."assigned_at" IS NOT NULL AND s."variant" IS NOT NULL
),
_fx_first AS (
  SELECT _fx_k0, MIN(_fx_at) AS _fx_at, MIN(_fx_variant) AS _fx_variant, CASE WHEN MIN(_fx_variant) = MAX(_fx_variant) THEN 1 ELSE 2 END AS _fx_variants
  FROM _fx_assigned
  GROUP BY _fx_k0
),
_fx_anchors AS (
  SELECT row_number() OVER (ORDER BY _fx_k0) AS _fx_row, _fx_k0, _fx_at, _fx_variant
  FROM _fx_first
  WHERE _fx_variants = 1
),
_fx_bounds AS (
  SELECT MIN(_fx_at) AS _fl_lo, MAX(_fx_at) AS _fl_hi FROM _fx_anchors
),
_fx_days AS (
  SELECT CAST(_fl_b AS TIMESTAMP) AS _fx_day
  FROM (SELECT DATEADD(day, _fl_n._fl_i, _fl_ends._fl_first) AS _fl_b FROM (SELECT (SELECT date_trunc('day', MIN(_fx_at)) FROM _fx_anchors) AS _fl_first, (SELECT date_trunc('day', LEAST(DATEADD(second, 604800, MAX(_fx_at)), CAST(? AS TIMESTAMP))) FROM _fx_anchors) AS _fl_last) AS _fl_ends CROSS JOIN (SELECT _fl_d0._fl_d + 10 * _fl_d1._fl_d + 100 * _fl_d2._fl_d + 1000 * _fl_d3._fl_d + 10000 * _fl_d4._fl_d AS _fl_i FROM (SELECT 0 AS _fl_d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS _fl_d0 CROSS JOIN (SELECT 0 AS _fl_d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS _fl_d1 CROSS JOIN (SELECT 0 AS _fl_d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS _fl_d2 CROSS JOIN (SELECT 0 AS _fl_d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS _fl_d3 CROSS JOIN (SELECT 0 AS _fl_d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS _fl_d4) AS _fl_n WHERE _fl_n._fl_i <= DATEDIFF(day, _fl_ends._fl_first, _fl_ends._fl_last)) AS _fl_series
),
_fx_daily AS (
  SELECT row_number() OVER (ORDER BY a._fx_k0, d._fx_day) AS _fx_drow, a._fx_row, a._fx_k0, a._fx_at, a._fx_variant, d._fx_day, LEAST(DATEADD(second, 604800, a._fx_at), DATEADD(second, 86400, d._fx_day)) AS _fx_cut
  FROM _fx_anchors AS a
  JOIN _fx_days AS d ON d._fx_day >= date_trunc('day', a._fx_at)
),
_fx_dbounds AS (
  SELECT MIN(_fx_cut) AS _fl_lo, MAX(_fx_cut) AS _fl_hi FROM _fx_daily
),
_fx_d0_src AS (
  SELECT s."customer_id" AS _fl_k0,
    CAST(s."txn_at" AS TIMESTAMP) AS _fl_ts,
    s."_fx_x0" AS _fl_c0,
    (amount > 100) AS _fl_p0
  FROM (
    SELECT *, (amount) AS _fx_x0 FROM (
      select * from raw_txns where amount is not null
    ) AS _fx_s
  ) AS s
  WHERE s."txn_at" <= (SELECT _fl_hi FROM _fx_dbounds)
),
_fx_d0_win AS (
  SELECT a._fx_drow AS _fl_row,
    CAST(SUM(s._fl_c0) AS DOUBLE PRECISION) AS _fl_m0,
    CAST(COUNT(CASE WHEN s._fl_p0 THEN 1 END) AS BIGINT) AS _fl_m1
  FROM _fx_daily AS a
  JOIN _fx_d0_src AS s ON s._fl_k0 = a._fx_k0 AND s._fl_ts >= a._fx_at AND s._fl_ts < a._fx_cut
  GROUP BY a._fx_drow
),
_fx_d0 AS (
  SELECT a._fx_drow AS _fl_row,
    COALESCE(w._fl_m0, 0) AS "_fx_v0",
    COALESCE(w._fl_m1, 0) AS "_fx_v2"
  FROM _fx_daily AS a
  LEFT JOIN _fx_d0_win AS w ON w._fl_row = a._fx_drow
),
_fx_a0_src AS (
  SELECT s."customer_id" AS _fl_k0,
    CAST(s."txn_at" AS TIMESTAMP) AS _fl_ts,
    s."_fx_x1" AS _fl_c0
  FROM (
    SELECT *, (amount) AS _fx_x1 FROM (
      select * from raw_txns where amount is not null
    ) AS _fx_s
  ) AS s
  WHERE s."txn_at" >= (SELECT DATEADD(second, -1209600, _fl_lo) FROM _fx_bounds) AND s."txn_at" <= (SELECT _fl_hi FROM _fx_bounds)
),
_fx_a0_win AS (
  SELECT a._fx_row AS _fl_row,
    CAST(SUM(s._fl_c0) AS DOUBLE PRECISION) AS _fl_m0
  FROM _fx_anchors AS a
  JOIN _fx_a0_src AS s ON s._fl_k0 = a._fx_k0 AND s._fl_ts >= DATEADD(second, -1209600, a._fx_at) AND s._fl_ts < a._fx_at
  GROUP BY a._fx_row
),
_fx_a0 AS (
  SELECT a._fx_row AS _fl_row,
    COALESCE(w._fl_m0, 0) AS "_fx_v1"
  FROM _fx_anchors AS a
  LEFT JOIN _fx_a0_win AS w ON w._fl_row = a._fx_row
),
_fx_subjects AS (
  SELECT a._fx_variant, a._fx_day AS _fx_group, CAST(d0."_fx_v0" AS DOUBLE PRECISION) AS _fx_v0, CAST(a0."_fx_v1" AS DOUBLE PRECISION) AS _fx_v1, CAST(d0."_fx_v2" AS DOUBLE PRECISION) AS _fx_v2
  FROM _fx_daily AS a
  JOIN _fx_d0 AS d0 ON d0._fl_row = a._fx_drow
  JOIN _fx_a0 AS a0 ON a0._fl_row = a._fx_row
),
_fx_shifted AS (
  SELECT _fx_group, _fx_variant, _fx_v0 - CAST(? AS DOUBLE PRECISION) AS _fx_s0, _fx_v1 - CAST(? AS DOUBLE PRECISION) AS _fx_s1, _fx_v2 - CAST(? AS DOUBLE PRECISION) AS _fx_s2
  FROM _fx_subjects
)
SELECT _fx_group, _fx_variant, CAST(COUNT(*) AS BIGINT) AS _fx_n,
  CAST(SUM(_fx_s0) AS DOUBLE PRECISION) AS _fx_t0,
  CAST(SUM(_fx_s0 * _fx_s1) AS DOUBLE PRECISION) AS _fx_t1,
  CAST(SUM(_fx_s2 * _fx_s2) AS DOUBLE PRECISION) AS _fx_t2
FROM _fx_shifted
GROUP BY _fx_group, _fx_variant
