WITH _fx_assigned AS (
  SELECT s.`customer_id` AS _fx_k0, CAST(s.`assigned_at` AS TIMESTAMP) AS _fx_at, CAST(s.`variant` AS STRING) AS _fx_variant
  FROM `assignments` AS s
  WHERE s.`customer_id` IS NOT NULL AND s.`assigned_at` IS NOT NULL AND s.`variant` IS NOT NULL
),
_fx_first AS (
  SELECT _fx_k0, MIN(_fx_at) AS _fx_at, MIN(_fx_variant) AS _fx_variant, CASE WHEN MIN(_fx_variant) = MAX(_fx_variant) THEN 1 ELSE 2 END AS _fx_variants
  FROM _fx_assigned
  GROUP BY _fx_k0
)
SELECT CAST(COUNT(*) AS BIGINT) AS _fx_excluded FROM _fx_first WHERE _fx_variants > 1
