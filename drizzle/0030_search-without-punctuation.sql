-- Search drops apostrophes and hyphens from the index and from the search's terms (foldForIndex in
-- app/domain/customers/search.ts, decision 031), so "oneill" finds "O'Neill" and "jeanluc" finds "Jean-Luc". The
-- search text of a customer indexed with one ("o'neill", "jean-luc@example.fr") is emptied, which takes them out of the
-- search index (customers_search_update), and the boot backfill (backfillCustomerSearch, which finds them by
-- customers_search_pending_idx) writes both search columns again with the fold, which only JavaScript has. Every
-- character the fold reads as ' or - is one of these two in the stored text by now (migration 0026), so the stored
-- text alone tells which rows to index again. The name sort key keeps them and is rewritten unchanged.
UPDATE `customers` SET `search_text` = NULL
  WHERE `search_text` IS NOT NULL
    AND (instr(`search_text`, '''') > 0 OR instr(`search_text`, '-') > 0);
