-- A claim through the shopper's own link is "own_link", not "blocked" (decision 018): refused at the claim, it has no
-- friend, no code and nothing for staff to decide, and no figure counts it. Claims stored before as blocked for it (the
-- fraud check's `same_email` signal) become what a claim is now; a blocked referral without that signal stays blocked.
UPDATE `referrals`
  SET `status` = 'own_link', `review` = NULL,
    `state` = json_set(`state`, '$.status', 'own_link', '$.review', json('null'))
  WHERE `status` = 'blocked'
    AND EXISTS (SELECT 1 FROM json_each(`referrals`.`state`, '$.signals') WHERE json_extract(`value`, '$.code') = 'same_email');
