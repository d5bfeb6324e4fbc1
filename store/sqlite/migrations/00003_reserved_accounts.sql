-- Reserved for the accounts migration (00003_accounts.sql), which is built
-- on another branch: migration numbers must run without gaps, and the
-- statistics are 00004. This file is replaced by that one when they meet.
SELECT 1;
