-- Kept in step with PostgreSQL's 00007, which makes events.event_data json
-- (text) instead of jsonb. Here it has always been TEXT checked by
-- json_valid: nothing to change.
SELECT 1;
