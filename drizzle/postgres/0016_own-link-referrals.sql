-- A claim through the shopper's own link is "own_link", not "blocked" (decision 018; SQLite's 0029 says why).
UPDATE "referrals"
  SET "status" = 'own_link', "review" = NULL,
    "state" = ("state"::jsonb || '{"status": "own_link", "review": null}'::jsonb)::text
  WHERE "status" = 'blocked'
    AND EXISTS (SELECT 1 FROM jsonb_array_elements("state"::jsonb -> 'signals') AS "signal" WHERE "signal" ->> 'code' = 'same_email');
