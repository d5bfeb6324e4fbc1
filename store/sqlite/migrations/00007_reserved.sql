-- Reserved: migration numbers run without gaps (store/internal/migration),
-- and 00007 was set aside for issue 16's branch while issue 11's 00008 was
-- written. Whichever branch merges its own 00007 replaces this file.
SELECT 1;
