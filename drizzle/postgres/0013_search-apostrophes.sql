-- Search reads the apostrophes and hyphens of smart punctuation and pasted text as ASCII ' and - (SQLite's 0026): a
-- customer whose name or email holds one has their search text emptied, which the pg_trgm index follows, and the
-- boot backfill (backfillCustomerSearch, by customers_search_pending_idx) writes both search columns again with the
-- fold, which only JavaScript has. The characters, by code point, as SQLite's 0026 lists them.
UPDATE customers SET search_text = NULL
  WHERE search_text IS NOT NULL
    AND concat(first_name, last_name, email) ~ U&'[\2018\2019\201B\02BC\02BB\02B9\0060\00B4\2032\1FEF\1FFD\0374\2010\2011\2012\2013]';
