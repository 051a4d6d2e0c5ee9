-- DuckDB peer of govind compute: helper macros, so the ported SQL reads like govind's.
-- try_divide: Spark's (NULL when the divisor is 0), as a DOUBLE.
CREATE OR REPLACE TEMP MACRO try_divide(a, b) AS CASE WHEN b = 0 THEN NULL ELSE CAST(a AS DOUBLE) / b END;
-- mask_name: org.govind.pii.PiiPatterns.maskName (张三明 → 张*明; 王芳 → 王*; 欧阳建华 → 欧阳*华; 欧阳明 → 欧阳*).
-- :compound_surnames is the list PiiPatterns keeps.
CREATE OR REPLACE TEMP MACRO mask_name(n) AS CASE
  WHEN n IS NULL THEN NULL
  WHEN length(trim(n)) = 0 THEN trim(n)
  WHEN length(trim(n)) = 1 THEN '*'
  WHEN length(trim(n)) = 2 THEN left(trim(n), 1) || '*'
  WHEN list_contains(:compound_surnames, left(trim(n), 2))
    THEN CASE WHEN length(trim(n)) = 3 THEN left(trim(n), 2) || '*' ELSE left(trim(n), 2) || '*' || right(trim(n), 1) END
  ELSE left(trim(n), 1) || '*' || right(trim(n), 1)
END;
-- hmac_hex: HMAC-SHA-256 of the trimmed value under the personal-data key, hex (org.govind.pii.PiiProtector.hash):
-- sha256((K xor opad) || sha256((K xor ipad) || m)); the two padded keys are bound as hex (:hmac_ipad, :hmac_opad).
CREATE OR REPLACE TEMP MACRO hmac_hex(v) AS
  sha256(unhex(:hmac_opad) || unhex(sha256(unhex(:hmac_ipad) || encode(trim(v)))));
