WITH _fl_rows0 AS (
  SELECT e.*, CAST(e.`ordered_at` AS TIMESTAMP) AS _fl_ts, (revenue) AS _fl_x0
  FROM (
    SELECT s.*
    FROM `orders{}` AS s
    WHERE s.`ordered_at` >= CAST(? AS TIMESTAMP) AND s.`ordered_at` < CAST(? AS TIMESTAMP)
  ) AS e
),
_fl_simple1 AS (
  SELECT date_trunc('week', _fl_ts) AS _fl_g0, `country` AS _fl_g1, CAST(SUM(_fl_x0) AS DOUBLE) AS _fl_v
  FROM _fl_rows0
  WHERE (status <> 'refunded')
  GROUP BY date_trunc('week', _fl_ts), `country`
),
_fl_simple3 AS (
  SELECT date_trunc('week', _fl_ts) AS _fl_g0, `country` AS _fl_g1, CAST(SUM(_fl_x0) AS DOUBLE) AS _fl_v
  FROM _fl_rows0
  WHERE (status = 'refunded')
  GROUP BY date_trunc('week', _fl_ts), `country`
),
_fl_ratio2 AS (
  SELECT _fl_g0, _fl_g1, CAST(_fl_n AS DOUBLE) / NULLIF(CAST(_fl_d AS DOUBLE), 0) AS _fl_v
  FROM (
    SELECT _fl_g0, _fl_g1, COALESCE(MAX(_fl_s0), 0) AS _fl_n, COALESCE(MAX(_fl_s1), 0) AS _fl_d
    FROM (
      SELECT b0._fl_g0, b0._fl_g1, b0._fl_v AS _fl_s0, b1._fl_v AS _fl_s1 FROM _fl_simple1 AS b0 CROSS JOIN _fl_simple3 AS b1 WHERE 1 = 0
      UNION ALL
      SELECT _fl_g0, _fl_g1, _fl_v AS _fl_s0, NULL AS _fl_s1 FROM _fl_simple1
      UNION ALL
      SELECT _fl_g0, _fl_g1, NULL AS _fl_s0, _fl_v AS _fl_s1 FROM _fl_simple3
    ) AS u
    GROUP BY _fl_g0, _fl_g1
  ) AS r
),
_fl_derived4 AS (
  SELECT _fl_g0, _fl_g1, ((revenue - revenue_prev) / nullif(revenue_prev, 0)) AS _fl_v
  FROM (
    SELECT _fl_g0, _fl_g1, MAX(_fl_s0) AS `revenue`, MAX(_fl_s1) AS `revenue_prev`
    FROM (
      SELECT b0._fl_g0, b0._fl_g1, b0._fl_v AS _fl_s0, b1._fl_v AS _fl_s1 FROM _fl_simple1 AS b0 CROSS JOIN _fl_simple1 AS b1 WHERE 1 = 0
      UNION ALL
      SELECT _fl_g0, _fl_g1, _fl_v AS _fl_s0, NULL AS _fl_s1 FROM _fl_simple1
      UNION ALL
      SELECT (_fl_g0 + INTERVAL '172800' SECOND) AS _fl_g0, _fl_g1, NULL AS _fl_s0, _fl_v AS _fl_s1 FROM _fl_simple1
    ) AS u
    GROUP BY _fl_g0, _fl_g1
  ) AS d
),
_fl_union5 AS (
  SELECT b0._fl_g0, b0._fl_g1, b0._fl_v AS _fl_s0, b1._fl_v AS _fl_s1, b2._fl_v AS _fl_s2 FROM _fl_simple1 AS b0 CROSS JOIN _fl_ratio2 AS b1 CROSS JOIN _fl_derived4 AS b2 WHERE 1 = 0
  UNION ALL
  SELECT _fl_g0, _fl_g1, _fl_v AS _fl_s0, NULL AS _fl_s1, NULL AS _fl_s2 FROM _fl_simple1
  UNION ALL
  SELECT _fl_g0, _fl_g1, NULL AS _fl_s0, _fl_v AS _fl_s1, NULL AS _fl_s2 FROM _fl_ratio2
  UNION ALL
  SELECT _fl_g0, _fl_g1, NULL AS _fl_s0, NULL AS _fl_s1, _fl_v AS _fl_s2 FROM _fl_derived4
),
_fl_all6 AS (
  SELECT _fl_g0, _fl_g1, MAX(_fl_s0) AS _fl_s0, MAX(_fl_s1) AS _fl_s1, MAX(_fl_s2) AS _fl_s2
  FROM (
    SELECT * FROM _fl_union5
  ) AS u
  GROUP BY _fl_g0, _fl_g1
)
SELECT * FROM (
  SELECT _fl_g0 AS `metric_time__week`,
    _fl_g1 AS `country`,
    _fl_s0 AS `revenue`,
    _fl_s1 AS `revenue_to_refunds`,
    _fl_s2 AS `revenue_growth`
  FROM _fl_all6
  WHERE _fl_g0 >= date_trunc('week', CAST(? AS TIMESTAMP)) AND _fl_g0 < CAST(? AS TIMESTAMP)
) AS _fl_answer
ORDER BY `metric_time__week` ASC NULLS LAST, `country` ASC NULLS LAST
