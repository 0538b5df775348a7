WITH _fl_rows0 AS (
  SELECT e.*, CAST(e.`ordered_at` AS TIMESTAMP) AS _fl_ts, (revenue) AS _fl_x0
  FROM (
    WITH _fl_input AS (
      SELECT _fl_i.*, row_number() OVER (ORDER BY TO_JSON_STRING(_fl_i.`order_id`), TO_JSON_STRING(_fl_i.`customer_id`), TO_JSON_STRING(_fl_i.`ordered_at`), TO_JSON_STRING(_fl_i.`revenue`), TO_JSON_STRING(_fl_i.`status`), TO_JSON_STRING(_fl_i.`country`)) AS _fl_row
      FROM (
        SELECT s.*
        FROM `orders{}` AS s
        WHERE s.`ordered_at` >= CAST(? AS TIMESTAMP) AND s.`ordered_at` < CAST(? AS TIMESTAMP)
      ) AS _fl_i
    ),
    _fl_anchor AS (
      SELECT _fl_row, CAST(`ordered_at` AS TIMESTAMP) AS _fl_t, `customer_id` AS _fl_e0
      FROM _fl_input
    ),
    _fl_bounds AS (
      SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM _fl_anchor
    ),
    _fl_v0_src AS (
      SELECT s.`customer_id` AS _fl_k0,
        CAST(s.`updated_at` AS TIMESTAMP) AS _fl_ts,
        s.`plan` AS _fl_c0
      FROM `profiles{}` AS s
      WHERE s.`updated_at` <= (SELECT _fl_hi FROM _fl_bounds)
    ),
    _fl_v0_l0_rows AS (
      SELECT *, row_number() OVER (ORDER BY _fl_k0, _fl_ts, _fl_c0 NULLS FIRST) AS _fl_rank
      FROM _fl_v0_src
    ),
    _fl_v0_l0_sweep AS (
      SELECT _fl_row, _fl_side, MAX(_fl_rank) OVER (PARTITION BY _fl_k0 ORDER BY _fl_at, _fl_side ROWS UNBOUNDED PRECEDING) AS _fl_best
      FROM (
        SELECT _fl_k0, _fl_ts AS _fl_at, 0 AS _fl_side, _fl_rank, CAST(NULL AS BIGINT) AS _fl_row FROM _fl_v0_l0_rows
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
        l0._fl_c0 AS `plan`
      FROM _fl_anchor AS a
      LEFT JOIN _fl_v0_l0 AS l0 ON l0._fl_row = a._fl_row
    )
    SELECT i.`order_id`,
      i.`customer_id`,
      i.`ordered_at`,
      i.`revenue`,
      i.`status`,
      i.`country`,
      CASE WHEN i.`customer_id` IS NULL OR i.`ordered_at` IS NULL THEN NULL ELSE v0.`plan` END AS `customer_profile__plan`
    FROM _fl_input AS i
    LEFT JOIN _fl_v0 AS v0 ON v0._fl_row = i._fl_row
  ) AS e
),
_fl_cumulative1_spine AS (
  SELECT CAST(_fl_b AS TIMESTAMP) AS _fl_b
  FROM UNNEST(GENERATE_TIMESTAMP_ARRAY(TIMESTAMP_TRUNC(CAST(? AS TIMESTAMP), DAY), CAST(? AS TIMESTAMP), INTERVAL 1 DAY)) AS _fl_b
  WHERE _fl_b < CAST(? AS TIMESTAMP)
),
_fl_cumulative1_groups AS (
  SELECT DISTINCT `customer_profile__plan` AS _fl_g1 FROM _fl_rows0
),
_fl_cumulative1_anchors AS (
  SELECT row_number() OVER (ORDER BY TO_JSON_STRING(s._fl_b), TO_JSON_STRING(g._fl_g1), TO_JSON_STRING(CAST(TIMESTAMP_ADD(s._fl_b, INTERVAL 1 DAY) AS TIMESTAMP))) AS _fl_row, s._fl_b AS _fl_g0, g._fl_g1 AS _fl_g1, CAST(TIMESTAMP_ADD(s._fl_b, INTERVAL 1 DAY) AS TIMESTAMP) AS _fl_t
  FROM _fl_cumulative1_spine AS s CROSS JOIN _fl_cumulative1_groups AS g
),
_fl_cumulative1_bounds AS (
  SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM _fl_cumulative1_anchors
),
_fl_cumulative1_p0_src AS (
  SELECT s.`customer_profile__plan` AS _fl_k0,
    CAST(s.`_fl_ts` AS TIMESTAMP) AS _fl_ts,
    s.`_fl_pm` AS _fl_c0,
    s.`_fl_pn` AS _fl_c1
  FROM (
    SELECT `customer_profile__plan`, CAST(TIMESTAMP_TRUNC(_fl_ts, DAY) AS TIMESTAMP) AS _fl_ts, CAST(SUM(CASE WHEN (status <> 'refunded') THEN _fl_x0 END) AS FLOAT64) AS _fl_pm, CAST(COUNT(CASE WHEN (status <> 'refunded') THEN 1 END) AS BIGINT) AS _fl_pn FROM _fl_rows0 GROUP BY `customer_profile__plan`, CAST(TIMESTAMP_TRUNC(_fl_ts, DAY) AS TIMESTAMP)
  ) AS s
  WHERE s.`_fl_ts` >= (SELECT TIMESTAMP_ADD(_fl_lo, INTERVAL -259200 SECOND) FROM _fl_cumulative1_bounds) AND s.`_fl_ts` <= (SELECT _fl_hi FROM _fl_cumulative1_bounds)
),
_fl_cumulative1_p0_win AS (
  SELECT a._fl_row AS _fl_row,
    CAST(SUM(s._fl_c0) AS FLOAT64) AS _fl_m0,
    CAST(SUM(s._fl_c1) AS BIGINT) AS _fl_m1
  FROM _fl_cumulative1_anchors AS a
  JOIN _fl_cumulative1_p0_src AS s ON s._fl_k0 IS NOT DISTINCT FROM a._fl_g1 AND s._fl_ts >= TIMESTAMP_ADD(a._fl_t, INTERVAL -259200 SECOND) AND s._fl_ts < a._fl_t
  GROUP BY a._fl_row
),
_fl_cumulative1_p0 AS (
  SELECT a._fl_row AS _fl_row,
    COALESCE(w._fl_m0, 0) AS `_fl_m`,
    COALESCE(w._fl_m1, 0) AS `_fl_n`
  FROM _fl_cumulative1_anchors AS a
  LEFT JOIN _fl_cumulative1_p0_win AS w ON w._fl_row = a._fl_row
),
_fl_cumulative1 AS (
  SELECT a._fl_g0 AS _fl_g0, a._fl_g1 AS _fl_g1, p0.`_fl_m` AS _fl_v
  FROM _fl_cumulative1_anchors AS a
  JOIN _fl_cumulative1_p0 AS p0 ON p0._fl_row = a._fl_row
  WHERE p0.`_fl_n` > 0
),
_fl_union2 AS (
  SELECT b0._fl_g0, b0._fl_g1, b0._fl_v AS _fl_s0 FROM _fl_cumulative1 AS b0 WHERE 1 = 0
  UNION ALL
  SELECT _fl_g0, _fl_g1, _fl_v AS _fl_s0 FROM _fl_cumulative1
),
_fl_all3 AS (
  SELECT _fl_g0, _fl_g1, MAX(_fl_s0) AS _fl_s0
  FROM (
    SELECT * FROM _fl_union2
  ) AS u
  GROUP BY _fl_g0, _fl_g1
)
SELECT * FROM (
  SELECT _fl_g0 AS `metric_time__day`,
    _fl_g1 AS `customer_profile__plan`,
    _fl_s0 AS `revenue_3d`
  FROM _fl_all3
) AS _fl_answer
ORDER BY `metric_time__day` ASC NULLS LAST, `customer_profile__plan` ASC NULLS LAST
