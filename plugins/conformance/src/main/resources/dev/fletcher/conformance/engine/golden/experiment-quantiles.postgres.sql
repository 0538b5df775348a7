WITH _fx_subjects AS (
  SELECT * FROM "fl_subjects"
),
_fx_qranked AS (
  SELECT _fx_variant, _fx_v0 AS _fx_q,
    ROW_NUMBER() OVER (PARTITION BY _fx_variant ORDER BY _fx_v0) AS _fx_r,
    COUNT(*) OVER (PARTITION BY _fx_variant) AS _fx_m
  FROM _fx_subjects
),
_fx_qbounds AS (
  SELECT _fx_variant, _fx_q, _fx_r, _fx_m * CAST(? AS DOUBLE PRECISION) AS _fx_c,
    SQRT(_fx_m * CAST(? AS DOUBLE PRECISION)) * CAST(? AS DOUBLE PRECISION) AS _fx_h
  FROM _fx_qranked
)
SELECT _fx_variant, CAST(COUNT(*) AS BIGINT) AS _fx_n,
  MIN(CASE WHEN _fx_r >= _fx_c THEN _fx_q END) AS _fx_point,
  MAX(CASE WHEN _fx_r <= _fx_c - _fx_h THEN _fx_q END) AS _fx_low,
  MIN(CASE WHEN _fx_r >= _fx_c + _fx_h THEN _fx_q END) AS _fx_high,
  MIN(_fx_q) AS _fx_min,
  MAX(_fx_q) AS _fx_max
FROM _fx_qbounds
GROUP BY _fx_variant
