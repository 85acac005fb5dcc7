-- A claim by a shopper who already paid for an order here is "not_new", not "blocked" (decision 077; SQLite's 0042
-- says why).
UPDATE "referrals"
  SET "status" = 'not_new', "review" = NULL,
    "state" = ("state"::jsonb || '{"status": "not_new", "review": null}'::jsonb)::text
  WHERE "status" = 'blocked'
    AND "order_gid" IS NULL
    AND EXISTS (
      SELECT 1 FROM jsonb_array_elements("state"::jsonb -> 'signals') AS "signal"
      WHERE "signal" ->> 'code' = 'already_customer' AND "signal" ->> 'at' = 'claim'
    );
