SELECT MAX(CAST(s.`txn_at` AS TIMESTAMP)) AS _fl_newest FROM (
  select * from raw_txns where amount is not null
) AS s WHERE s.`txn_at` <= CAST(? AS TIMESTAMP)
