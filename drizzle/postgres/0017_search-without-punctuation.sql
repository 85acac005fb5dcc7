-- Search drops apostrophes and hyphens from the index and from the search's terms (SQLite's 0030): a customer whose
-- search text holds one has it emptied, which the pg_trgm index follows, and the boot backfill
-- (backfillCustomerSearch, by customers_search_pending_idx) writes both search columns again with the fold, which only
-- JavaScript has.
UPDATE customers SET search_text = NULL
  WHERE search_text IS NOT NULL
    AND (strpos(search_text, '''') > 0 OR strpos(search_text, '-') > 0);
