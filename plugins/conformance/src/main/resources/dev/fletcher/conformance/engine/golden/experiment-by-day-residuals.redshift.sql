WITH _fx_subjects AS (
  SELECT * FROM "fl_subjects"
),
_fx_shifted AS (
  SELECT _fx_group, _fx_variant, _fx_v0 - CAST(? AS DOUBLE PRECISION) AS _fx_s0, _fx_v1 - CAST(? AS DOUBLE PRECISION) AS _fx_s1
  FROM _fx_subjects
  WHERE _fx_variant IN (?, ?)
),
_fx_fitted_e AS (
  SELECT *,
    _fx_s0 - (CASE WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE PRECISION) WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE PRECISION) END + CASE WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE PRECISION) WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE PRECISION) END * CASE WHEN _fx_variant = ? THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END + CASE WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE PRECISION) WHEN _fx_group = CAST(? AS TIMESTAMP) THEN CAST(? AS DOUBLE PRECISION) END * _fx_s1) AS _fx_e0
  FROM _fx_shifted
),
_fx_fitted AS (
  SELECT *, _fx_e0 * _fx_e0 AS _fx_w0
  FROM _fx_fitted_e
)
SELECT _fx_group, _fx_variant, CAST(COUNT(*) AS BIGINT) AS _fx_n,
  CAST(SUM(_fx_w0) AS DOUBLE PRECISION) AS _fx_t0,
  CAST(SUM(_fx_w0 * _fx_s1) AS DOUBLE PRECISION) AS _fx_t1
FROM _fx_fitted
GROUP BY _fx_group, _fx_variant
