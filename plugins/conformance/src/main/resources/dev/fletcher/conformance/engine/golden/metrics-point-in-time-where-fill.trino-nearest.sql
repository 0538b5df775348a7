WITH _fl_rows0 AS (
  SELECT e.*, CAST(e."ordered_at" AS TIMESTAMP(6)) AS _fl_ts
  FROM (
    WITH _fl_input AS (
      SELECT _fl_i.*, row_number() OVER (ORDER BY _fl_i."order_id", _fl_i."customer_id", _fl_i."ordered_at", _fl_i."revenue", _fl_i."status", _fl_i."country") AS _fl_row
      FROM (
        SELECT s.*
        FROM "orders{}" AS s
        WHERE s."ordered_at" >= CAST(? AS TIMESTAMP(6)) AND s."ordered_at" < CAST(? AS TIMESTAMP(6))
      ) AS _fl_i
    ),
    _fl_anchor AS (
      SELECT _fl_row, CAST("ordered_at" AS TIMESTAMP(6)) AS _fl_t, "customer_id" AS _fl_e0
      FROM _fl_input
    ),
    _fl_bounds AS (
      SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM _fl_anchor
    ),
    _fl_v0_src AS (
      SELECT s."customer_id" AS _fl_k0,
        CAST(s."updated_at" AS TIMESTAMP(6)) AS _fl_ts,
        s."plan" AS _fl_c0
      FROM "profiles{}" AS s
      WHERE s."updated_at" <= (SELECT _fl_hi FROM _fl_bounds)
    ),
    _fl_v0_l0_rows AS (
      SELECT _fl_k0, _fl_ts, _fl_c0, ROW(_fl_ts, 0, ROW(_fl_c0 IS NOT NULL, _fl_c0)) AS _fl_o
      FROM _fl_v0_src
    ),
    _fl_v0 AS (
      SELECT a._fl_row AS _fl_row,
        l0._fl_c0 AS "plan"
      FROM (SELECT *, CASE WHEN _fl_t IS NOT NULL THEN ROW(_fl_t, 1, NULL) END AS _fl_o1 FROM _fl_anchor) AS a
      LEFT JOIN NEAREST (FROM _fl_v0_l0_rows AS l0 WHERE a._fl_e0 = l0._fl_k0 MATCH a._fl_o1 >= l0._fl_o) AS l0 ON TRUE
    )
    SELECT i."order_id",
      i."customer_id",
      i."ordered_at",
      i."revenue",
      i."status",
      i."country",
      CASE WHEN i."customer_id" IS NULL OR i."ordered_at" IS NULL THEN NULL ELSE v0."plan" END AS "customer_profile__plan"
    FROM _fl_input AS i
    LEFT JOIN _fl_v0 AS v0 ON v0._fl_row = i._fl_row
  ) AS e
  WHERE e."country" IN (?, ?)
),
_fl_simple1 AS (
  SELECT date_trunc('month', _fl_ts) AS _fl_g0, "customer_profile__plan" AS _fl_g1, CAST(COUNT(*) AS BIGINT) AS _fl_v
  FROM _fl_rows0
  GROUP BY date_trunc('month', _fl_ts), "customer_profile__plan"
),
_fl_union2 AS (
  SELECT b0._fl_g0, b0._fl_g1, b0._fl_v AS _fl_s0 FROM _fl_simple1 AS b0 WHERE 1 = 0
  UNION ALL
  SELECT _fl_g0, _fl_g1, _fl_v AS _fl_s0 FROM _fl_simple1
),
_fl_spine3 AS (
  SELECT CAST(_fl_b AS TIMESTAMP(6)) AS _fl_b
  FROM UNNEST(sequence(date_trunc('month', CAST(? AS TIMESTAMP(6))), CAST(? AS TIMESTAMP(6)), INTERVAL '1' MONTH)) AS _fl_series(_fl_b)
  WHERE _fl_b < CAST(? AS TIMESTAMP(6))
),
_fl_groups4 AS (
  SELECT DISTINCT _fl_g1 FROM _fl_union2
),
_fl_all5 AS (
  SELECT _fl_g0, _fl_g1, MAX(_fl_s0) AS _fl_s0
  FROM (
    SELECT * FROM _fl_union2
    UNION ALL
    SELECT s._fl_b AS _fl_g0, k._fl_g1 AS _fl_g1, NULL AS _fl_s0 FROM _fl_spine3 AS s CROSS JOIN _fl_groups4 AS k
  ) AS u
  GROUP BY _fl_g0, _fl_g1
)
SELECT * FROM (
  SELECT _fl_g0 AS "metric_time__month",
    _fl_g1 AS "customer_profile__plan",
    COALESCE(_fl_s0, 0) AS "orders"
  FROM _fl_all5
) AS _fl_answer
ORDER BY "orders" DESC NULLS LAST
LIMIT ?
