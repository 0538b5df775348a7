WITH _fx_subjects AS (
  SELECT * FROM "fletcher_scratch"."fl_subjects"
),
_fx_shifted AS (
  SELECT _fx_group, _fx_variant, _fx_v0 - CAST(? AS DOUBLE) AS _fx_s0, _fx_v1 - CAST(? AS DOUBLE) AS _fx_s1
  FROM _fx_subjects
  WHERE _fx_variant IN (?, ?)
),
_fx_fitted_e AS (
  SELECT *,
    _fx_s0 - (CASE WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE) WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE) END + CASE WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE) WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE) END * CASE WHEN _fx_variant = ? THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END + CASE WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE) WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE) END * _fx_s1) AS _fx_e0
  FROM _fx_shifted
),
_fx_fitted AS MATERIALIZED (
  SELECT *, _fx_e0 * _fx_e0 AS _fx_w0
  FROM _fx_fitted_e
)
SELECT _fx_group, _fx_variant, CAST(COUNT(*) AS BIGINT) AS _fx_n,
  CAST(SUM(_fx_w0) AS DOUBLE) AS _fx_t0,
  CAST(SUM(_fx_w0 * _fx_s1) AS DOUBLE) AS _fx_t1
FROM _fx_fitted
GROUP BY _fx_group, _fx_variant
