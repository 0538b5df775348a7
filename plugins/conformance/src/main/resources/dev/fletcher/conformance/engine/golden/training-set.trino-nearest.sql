WITH _fl_input AS (
  SELECT _fl_i.*, row_number() OVER (ORDER BY _fl_i."customer_id", _fl_i."event_timestamp", _fl_i."label") AS _fl_row
  FROM (
    SELECT * FROM "entities"
  ) AS _fl_i
),
_fl_anchor AS (
  SELECT _fl_row, CAST("event_timestamp" AS TIMESTAMP(6)) AS _fl_t, "customer_id" AS _fl_e0
  FROM _fl_input
),
_fl_bounds AS (
  SELECT MIN(_fl_t) AS _fl_lo, MAX(_fl_t) AS _fl_hi FROM _fl_anchor
),
_fl_v0_src AS (
  SELECT s."customer_id" AS _fl_k0,
    CAST(s."updated_at" AS TIMESTAMP(6)) AS _fl_ts,
    CAST(s."loaded_at" AS TIMESTAMP(6)) AS _fl_ct,
    s."plan" AS _fl_c0,
    s."credit_limit" AS _fl_c1
  FROM "profiles" AS s
  WHERE s."updated_at" >= (SELECT (_fl_lo + INTERVAL -'2592000' SECOND) FROM _fl_bounds) AND s."updated_at" <= (SELECT _fl_hi FROM _fl_bounds)
),
_fl_v0_l0_rows AS (
  SELECT _fl_k0, _fl_ts, _fl_c0, _fl_c1, ROW(_fl_ts, 0, ROW(_fl_ct IS NOT NULL, _fl_ct, _fl_c0 IS NOT NULL, _fl_c0, _fl_c1 IS NOT NULL, _fl_c1)) AS _fl_o
  FROM _fl_v0_src
),
_fl_v0 AS (
  SELECT a._fl_row AS _fl_row,
    CASE WHEN l0._fl_ts >= (a._fl_t + INTERVAL -'2592000' SECOND) THEN l0._fl_c0 END AS "plan",
    CASE WHEN l0._fl_ts >= (a._fl_t + INTERVAL -'2592000' SECOND) THEN l0._fl_c1 END AS "credit_limit"
  FROM (SELECT *, CASE WHEN _fl_t IS NOT NULL THEN ROW(_fl_t, 1, NULL) END AS _fl_o1 FROM _fl_anchor) AS a
  LEFT JOIN NEAREST (FROM _fl_v0_l0_rows AS l0 WHERE a._fl_e0 = l0._fl_k0 MATCH a._fl_o1 >= l0._fl_o) AS l0 ON TRUE
),
_fl_v1_src AS (
  SELECT s."customer_id" AS _fl_k0,
    CAST(s."txn_at" AS TIMESTAMP(6)) AS _fl_ts,
    s."amount" AS _fl_c0,
    (amount > 100) AS _fl_p0
  FROM (
    select * from raw_txns where amount is not null
  ) AS s
  WHERE s."txn_at" >= (SELECT (_fl_lo + INTERVAL -'604800' SECOND) FROM _fl_bounds) AND s."txn_at" <= (SELECT _fl_hi FROM _fl_bounds)
),
_fl_v1_win AS (
  SELECT a._fl_row AS _fl_row,
    CAST(SUM(CASE WHEN s._fl_ts > (a._fl_t + INTERVAL -'3600' SECOND) THEN s._fl_c0 END) AS DOUBLE) AS _fl_m0,
    CAST(COUNT(CASE WHEN s._fl_ts > (a._fl_t + INTERVAL -'86400' SECOND) THEN 1 END) AS BIGINT) AS _fl_m1,
    AVG(CAST(s._fl_c0 AS DOUBLE)) AS _fl_m2,
    MAX(s._fl_c0) AS _fl_m3
  FROM _fl_anchor AS a
  JOIN _fl_v1_src AS s ON s._fl_k0 = a._fl_e0 AND s._fl_ts > (a._fl_t + INTERVAL -'604800' SECOND) AND s._fl_ts <= a._fl_t
  GROUP BY a._fl_row
),
_fl_v1_l0_rows AS (
  SELECT _fl_k0, _fl_ts, _fl_c0, ROW(_fl_ts, 0, ROW(_fl_c0 IS NOT NULL, _fl_c0)) AS _fl_o
  FROM _fl_v1_src
  WHERE _fl_p0
),
_fl_v1 AS (
  SELECT a._fl_row AS _fl_row,
    COALESCE(w._fl_m0, 0) AS "amount_sum_1h",
    COALESCE(w._fl_m1, 0) AS "txn_count_1d",
    w._fl_m2 AS "amount_avg_7d",
    w._fl_m3 AS "amount_max_7d",
    CASE WHEN l0._fl_ts > (a._fl_t + INTERVAL -'604800' SECOND) THEN l0._fl_c0 END AS "big_last_7d"
  FROM (SELECT *, CASE WHEN _fl_t IS NOT NULL THEN ROW(_fl_t, 1, NULL) END AS _fl_o1 FROM _fl_anchor) AS a
  LEFT JOIN NEAREST (FROM _fl_v1_l0_rows AS l0 WHERE a._fl_e0 = l0._fl_k0 MATCH a._fl_o1 >= l0._fl_o) AS l0 ON TRUE
  LEFT JOIN _fl_v1_win AS w ON w._fl_row = a._fl_row
),
_fl_v1_d1 AS (
  SELECT d.*,
    ((amount_max_7d / nullif(amount_avg_7d, 0))) AS "big_share_7d"
  FROM _fl_v1 AS d
)
SELECT i."customer_id",
  i."event_timestamp",
  i."label",
  CASE WHEN i."customer_id" IS NULL OR i."event_timestamp" IS NULL THEN NULL ELSE v0."plan" END AS "customer_profile__plan",
  CASE WHEN i."customer_id" IS NULL OR i."event_timestamp" IS NULL THEN NULL ELSE v1."amount_sum_1h" END AS "customer_txn__amount_sum_1h",
  CASE WHEN i."customer_id" IS NULL OR i."event_timestamp" IS NULL THEN NULL ELSE v1."txn_count_1d" END AS "customer_txn__txn_count_1d",
  CASE WHEN i."customer_id" IS NULL OR i."event_timestamp" IS NULL THEN NULL ELSE v1."big_last_7d" END AS "customer_txn__big_last_7d",
  CASE WHEN i."customer_id" IS NULL OR i."event_timestamp" IS NULL THEN NULL ELSE v1."big_share_7d" END AS "customer_txn__big_share_7d",
  CASE WHEN i."customer_id" IS NULL OR i."event_timestamp" IS NULL THEN NULL ELSE v0."credit_limit" END AS "customer_profile__credit_limit"
FROM _fl_input AS i
LEFT JOIN _fl_v0 AS v0 ON v0._fl_row = i._fl_row
LEFT JOIN _fl_v1_d1 AS v1 ON v1._fl_row = i._fl_row
