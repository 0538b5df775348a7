WITH _fx_assigned AS (
  SELECT s."customer_id" AS _fx_k0, CAST(s."assigned_at" AS TIMESTAMP(6)) AS _fx_at, CAST(s."variant" AS VARCHAR) AS _fx_variant
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
_fx_a0_src AS (
  SELECT s."customer_id" AS _fl_k0,
    CAST(s."txn_at" AS TIMESTAMP(6)) AS _fl_ts,
    s."_fx_x0" AS _fl_c0,
    s."_fx_x1" AS _fl_c1
  FROM (
    SELECT *, (amount) AS _fx_x0, (amount) AS _fx_x1 FROM (
      select * from raw_txns where amount is not null
    ) AS _fx_s
  ) AS s
  WHERE s."txn_at" >= (SELECT (_fl_lo + INTERVAL -'1209600' SECOND) FROM _fx_bounds) AND s."txn_at" <= (SELECT (_fl_hi + INTERVAL '604800' SECOND) FROM _fx_bounds)
),
_fx_a0_win AS (
  SELECT a._fx_row AS _fl_row,
    CAST(SUM(CASE WHEN s._fl_ts >= a._fx_at THEN s._fl_c0 END) AS DOUBLE) AS _fl_m0,
    CAST(SUM(CASE WHEN s._fl_ts < a._fx_at THEN s._fl_c1 END) AS DOUBLE) AS _fl_m1
  FROM _fx_anchors AS a
  JOIN _fx_a0_src AS s ON s._fl_k0 = a._fx_k0 AND s._fl_ts >= (a._fx_at + INTERVAL -'1209600' SECOND) AND s._fl_ts < (a._fx_at + INTERVAL '604800' SECOND)
  GROUP BY a._fx_row
),
_fx_a0 AS (
  SELECT a._fx_row AS _fl_row,
    COALESCE(w._fl_m0, 0) AS "_fx_v0",
    COALESCE(w._fl_m1, 0) AS "_fx_v1"
  FROM _fx_anchors AS a
  LEFT JOIN _fx_a0_win AS w ON w._fl_row = a._fx_row
),
_fx_g_src AS (
  SELECT s."customer_id" AS _fl_k0,
    CAST(s."updated_at" AS TIMESTAMP(6)) AS _fl_ts,
    CAST(s."loaded_at" AS TIMESTAMP(6)) AS _fl_ct,
    s."plan" AS _fl_c0,
    s."credit_limit" AS _fl_c1
  FROM "profiles" AS s
  WHERE s."updated_at" >= (SELECT (_fl_lo + INTERVAL -'2592000' SECOND) FROM _fx_bounds) AND s."updated_at" <= (SELECT _fl_hi FROM _fx_bounds)
),
_fx_g_l0_rows AS (
  SELECT _fl_k0, _fl_ts, _fl_c0, ROW(_fl_ts, 0, ROW(_fl_ct IS NOT NULL, _fl_ct, _fl_c0 IS NOT NULL, _fl_c0, _fl_c1 IS NOT NULL, _fl_c1)) AS _fl_o
  FROM _fx_g_src
),
_fx_g AS (
  SELECT a._fx_row AS _fl_row,
    CASE WHEN l0._fl_ts >= (a._fx_at + INTERVAL -'2592000' SECOND) THEN l0._fl_c0 END AS "_fx_slice"
  FROM (SELECT *, CASE WHEN _fx_at IS NOT NULL THEN ROW(_fx_at, 1, NULL) END AS _fl_o1 FROM _fx_anchors) AS a
  LEFT JOIN NEAREST (FROM _fx_g_l0_rows AS l0 WHERE a._fx_k0 = l0._fl_k0 MATCH a._fl_o1 >= l0._fl_o) AS l0 ON TRUE
),
_fx_subjects AS (
  SELECT a._fx_variant, CAST(g."_fx_slice" AS VARCHAR) AS _fx_group, CAST(a0."_fx_v0" AS DOUBLE) AS _fx_v0, CAST(a0."_fx_v1" AS DOUBLE) AS _fx_v1
  FROM _fx_anchors AS a
  JOIN _fx_a0 AS a0 ON a0._fl_row = a._fx_row
  JOIN _fx_g AS g ON g._fl_row = a._fx_row
),
_fx_shifted AS (
  SELECT _fx_group, _fx_variant, _fx_v0 - CAST(? AS DOUBLE) AS _fx_s0, _fx_v1 - CAST(? AS DOUBLE) AS _fx_s1
  FROM _fx_subjects
  WHERE _fx_variant IN (?, ?)
),
_fx_fitted_e AS (
  SELECT *,
    _fx_s0 - (CASE WHEN _fx_group = ? THEN CAST(? AS DOUBLE) WHEN _fx_group IS NULL THEN CAST(? AS DOUBLE) END + CASE WHEN _fx_group = ? THEN CAST(? AS DOUBLE) WHEN _fx_group IS NULL THEN CAST(? AS DOUBLE) END * CASE WHEN _fx_variant = ? THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END + CASE WHEN _fx_group = ? THEN CAST(? AS DOUBLE) WHEN _fx_group IS NULL THEN CAST(? AS DOUBLE) END * _fx_s1) AS _fx_e0
  FROM _fx_shifted
),
_fx_fitted AS (
  SELECT *, _fx_e0 * _fx_e0 AS _fx_w0
  FROM _fx_fitted_e
)
SELECT _fx_group, _fx_variant, CAST(COUNT(*) AS BIGINT) AS _fx_n,
  CAST(SUM(_fx_w0) AS DOUBLE) AS _fx_t0,
  CAST(SUM(_fx_s0 * _fx_s1) AS DOUBLE) AS _fx_t1
FROM _fx_fitted
GROUP BY _fx_group, _fx_variant
