WITH _fl_values AS (
  SELECT CAST(s.`credit_limit` AS DOUBLE) AS _fl_x, CASE WHEN s.`updated_at` > CAST(? AS TIMESTAMP) THEN 1 ELSE 0 END AS _fl_w
  FROM `profiles` AS s
  WHERE s.`updated_at` > CAST(? AS TIMESTAMP) AND s.`updated_at` <= CAST(? AS TIMESTAMP) AND s.`credit_limit` IS NOT NULL
),
_fl_n AS (
  SELECT CAST(COALESCE(SUM(CASE WHEN _fl_w = 0 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS _fl_nb, CAST(COALESCE(SUM(CASE WHEN _fl_w = 1 THEN 1 ELSE 0 END), 0) AS DOUBLE) AS _fl_nc FROM _fl_values
),
_fl_cuts AS (
  SELECT percentile(_fl_x, 0.25) AS _fl_c1, percentile(_fl_x, 0.5) AS _fl_c2, percentile(_fl_x, 0.75) AS _fl_c3 FROM _fl_values WHERE _fl_w = 0
),
_fl_binned AS (
  SELECT v._fl_w, CASE WHEN v._fl_x > c._fl_c1 THEN 1 ELSE 0 END + CASE WHEN v._fl_x > c._fl_c2 THEN 1 ELSE 0 END + CASE WHEN v._fl_x > c._fl_c3 THEN 1 ELSE 0 END AS _fl_bin
  FROM _fl_values AS v CROSS JOIN _fl_cuts AS c
),
_fl_counts AS (
  SELECT _fl_bin, CAST(SUM(CASE WHEN _fl_w = 0 THEN 1 ELSE 0 END) AS DOUBLE) AS _fl_b, CAST(SUM(CASE WHEN _fl_w = 1 THEN 1 ELSE 0 END) AS DOUBLE) AS _fl_c FROM _fl_binned GROUP BY _fl_bin
),
_fl_shares AS (
  SELECT CASE WHEN k._fl_b = 0 THEN CAST(1.0E-4 AS DOUBLE) ELSE k._fl_b / n._fl_nb END AS _fl_base, CASE WHEN k._fl_c = 0 THEN CAST(1.0E-4 AS DOUBLE) ELSE k._fl_c / n._fl_nc END AS _fl_cur
  FROM _fl_counts AS k CROSS JOIN _fl_n AS n WHERE n._fl_nb > 0 AND n._fl_nc > 0
)
SELECT CAST((SELECT SUM((_fl_cur - _fl_base) * LN(_fl_cur / _fl_base)) FROM _fl_shares) AS DOUBLE) AS _fl_stat, n._fl_nb, n._fl_nc FROM _fl_n AS n
