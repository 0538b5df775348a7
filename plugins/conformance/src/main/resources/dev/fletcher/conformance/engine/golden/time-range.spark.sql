WITH _fl_input AS (
  SELECT _fl_i.*, row_number() OVER (ORDER BY monotonically_increasing_id()) AS _fl_row
  FROM (
    SELECT * FROM (
      SELECT DISTINCT s.`customer_id` AS `customer_id`, CAST(s.`txn_at` AS TIMESTAMP) AS `event_timestamp`
      FROM (
        select * from raw_txns where amount is not null
      ) AS s
      WHERE s.`txn_at` >= CAST(? AS TIMESTAMP) AND s.`txn_at` < CAST(? AS TIMESTAMP)
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
    CAST(s.`txn_at` AS TIMESTAMP) AS _fl_ts
  FROM (
    select * from raw_txns where amount is not null
  ) AS s
  WHERE s.`txn_at` >= (SELECT (_fl_lo + INTERVAL '-86400' SECOND) FROM _fl_bounds) AND s.`txn_at` <= (SELECT _fl_hi FROM _fl_bounds)
),
_fl_v0_win AS (
  SELECT a._fl_row AS _fl_row,
    CAST(COUNT(*) AS BIGINT) AS _fl_m0
  FROM _fl_anchor AS a
  JOIN _fl_v0_src AS s ON s._fl_k0 = a._fl_e0 AND s._fl_ts > (a._fl_t + INTERVAL '-86400' SECOND) AND s._fl_ts <= a._fl_t
  GROUP BY a._fl_row
),
_fl_v0 AS (
  SELECT a._fl_row AS _fl_row,
    COALESCE(w._fl_m0, 0) AS `txn_count_1d`
  FROM _fl_anchor AS a
  LEFT JOIN _fl_v0_win AS w ON w._fl_row = a._fl_row
)
SELECT i.`customer_id`,
  i.`event_timestamp`,
  CASE WHEN i.`customer_id` IS NULL OR i.`event_timestamp` IS NULL THEN NULL ELSE v0.`txn_count_1d` END AS `customer_txn__txn_count_1d`
FROM _fl_input AS i
LEFT JOIN _fl_v0 AS v0 ON v0._fl_row = i._fl_row
