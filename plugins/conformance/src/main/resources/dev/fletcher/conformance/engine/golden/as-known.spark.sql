WITH _fl_input AS (
  SELECT _fl_i.*, row_number() OVER (ORDER BY monotonically_increasing_id()) AS _fl_row
  FROM (
    SELECT * FROM (
      select customer_id, event_timestamp, label from labels
    ) AS _fl_q
  ) AS _fl_i
),
_fl_anchor AS (
  SELECT _fl_row, CAST(`event_timestamp` AS TIMESTAMP) AS _fl_t, `customer_id` AS _fl_e0
  FROM _fl_input
),
_fl_bounds AS (
  SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM _fl_anchor
),
_fl_v0_src AS (
  SELECT s.`customer_id` AS _fl_k0,
    CAST(s.`updated_at` AS TIMESTAMP) AS _fl_ts,
    CAST(s.`loaded_at` AS TIMESTAMP) AS _fl_ct,
    s.`plan` AS _fl_c0,
    s.`credit_limit` AS _fl_c1
  FROM `profiles` AS s
  WHERE s.`updated_at` >= (SELECT (_fl_lo + INTERVAL '-2592000' SECOND) FROM _fl_bounds) AND s.`updated_at` <= (SELECT _fl_hi FROM _fl_bounds)
),
_fl_v0_l0_rows AS (
  SELECT *, row_number() OVER (ORDER BY _fl_k0, _fl_ts, _fl_ct NULLS FIRST, _fl_c0 NULLS FIRST, _fl_c1 NULLS FIRST) AS _fl_rank
  FROM _fl_v0_src
),
_fl_v0_l0_sweep AS (
  SELECT _fl_row, _fl_side, MAX(_fl_rank) OVER (PARTITION BY _fl_k0 ORDER BY _fl_at, _fl_side ROWS UNBOUNDED PRECEDING) AS _fl_best
  FROM (
    SELECT _fl_k0, CASE WHEN _fl_ct > _fl_ts THEN _fl_ct ELSE _fl_ts END AS _fl_at, 0 AS _fl_side, _fl_rank, CAST(NULL AS BIGINT) AS _fl_row FROM _fl_v0_l0_rows
    UNION ALL
    SELECT _fl_e0 AS _fl_k0, _fl_t, 1, CAST(NULL AS BIGINT), _fl_row FROM _fl_anchor WHERE _fl_e0 IS NOT NULL AND _fl_t IS NOT NULL
  ) AS u
),
_fl_v0_l0 AS (
  SELECT w._fl_row, l._fl_ts, l._fl_c0
  FROM _fl_v0_l0_sweep AS w
  LEFT JOIN _fl_v0_l0_rows AS l ON l._fl_rank = w._fl_best
  WHERE w._fl_side = 1
),
_fl_v0 AS (
  SELECT a._fl_row AS _fl_row,
    CASE WHEN l0._fl_ts >= (a._fl_t + INTERVAL '-2592000' SECOND) THEN l0._fl_c0 END AS `plan`
  FROM _fl_anchor AS a
  LEFT JOIN _fl_v0_l0 AS l0 ON l0._fl_row = a._fl_row
)
SELECT i.`customer_id`,
  i.`event_timestamp`,
  i.`label`,
  CASE WHEN i.`customer_id` IS NULL OR i.`event_timestamp` IS NULL THEN NULL ELSE v0.`plan` END AS `customer_profile__plan`
FROM _fl_input AS i
LEFT JOIN _fl_v0 AS v0 ON v0._fl_row = i._fl_row
