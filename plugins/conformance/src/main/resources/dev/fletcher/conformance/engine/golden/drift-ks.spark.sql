WITH _fl_values AS (
  SELECT CAST(t.`customer_txn__amount_sum_1h` AS DOUBLE) AS _fl_x, CASE WHEN t.`event_timestamp` > CAST(? AS TIMESTAMP) THEN 1 ELSE 0 END AS _fl_w
  FROM (
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
        CAST(s.`txn_at` AS TIMESTAMP) AS _fl_ts,
        s.`amount` AS _fl_c0
      FROM (
        select * from raw_txns where amount is not null
      ) AS s
      WHERE s.`txn_at` >= (SELECT (_fl_lo + INTERVAL '-3600' SECOND) FROM _fl_bounds) AND s.`txn_at` <= (SELECT _fl_hi FROM _fl_bounds)
    ),
    _fl_v0_win AS (
      SELECT a._fl_row AS _fl_row,
        CAST(SUM(s._fl_c0) AS DOUBLE) AS _fl_m0
      FROM _fl_anchor AS a
      JOIN _fl_v0_src AS s ON s._fl_k0 = a._fl_e0 AND s._fl_ts > (a._fl_t + INTERVAL '-3600' SECOND) AND s._fl_ts <= a._fl_t
      GROUP BY a._fl_row
    ),
    _fl_v0 AS (
      SELECT a._fl_row AS _fl_row,
        COALESCE(w._fl_m0, 0) AS `amount_sum_1h`
      FROM _fl_anchor AS a
      LEFT JOIN _fl_v0_win AS w ON w._fl_row = a._fl_row
    )
    SELECT i.`customer_id`,
      i.`event_timestamp`,
      CASE WHEN i.`customer_id` IS NULL OR i.`event_timestamp` IS NULL THEN NULL ELSE v0.`amount_sum_1h` END AS `customer_txn__amount_sum_1h`
    FROM _fl_input AS i
    LEFT JOIN _fl_v0 AS v0 ON v0._fl_row = i._fl_row
  ) AS t
  WHERE t.`customer_txn__amount_sum_1h` IS NOT NULL
),
_fl_n AS (
  SELECT CAST(COALESCE(SUM(CASE WHEN _fl_w = 0 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS _fl_nb, CAST(COALESCE(SUM(CASE WHEN _fl_w = 1 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS _fl_nc FROM _fl_values
),
_fl_steps AS (
  SELECT _fl_x, CAST(SUM(CASE WHEN _fl_w = 0 THEN 1 ELSE 0 END) AS DOUBLE) AS _fl_db, CAST(SUM(CASE WHEN _fl_w = 1 THEN 1 ELSE 0 END) AS DOUBLE) AS _fl_dc FROM _fl_values GROUP BY _fl_x
),
_fl_cdf AS (
  SELECT SUM(_fl_db) OVER (ORDER BY _fl_x ROWS UNBOUNDED PRECEDING) AS _fl_fb, SUM(_fl_dc) OVER (ORDER BY _fl_x ROWS UNBOUNDED PRECEDING) AS _fl_fc FROM _fl_steps
)
SELECT CAST((SELECT MAX(ABS(f._fl_fb / n._fl_nb - f._fl_fc / n._fl_nc)) FROM _fl_cdf AS f CROSS JOIN _fl_n AS n WHERE n._fl_nb > 0 AND n._fl_nc > 0) AS DOUBLE) AS _fl_stat, n._fl_nb, n._fl_nc FROM _fl_n AS n
