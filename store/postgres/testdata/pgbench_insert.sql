-- One durable single-row insert per transaction into a copy of the events
-- table, with an event of the benchmark's mean size (≈165 bytes). See
-- docs/BENCHMARKS.md, "Event store".
INSERT INTO pgbench_events (game_id, sequence_num, event_type, event_data, player_id)
VALUES (gen_random_uuid(), 1, 'CardSwapped',
  '{"type":"CardSwapped","v":1,"data":{"player_id":"p2","position":4,"new_card":{"rank":"Q","suit":"H","deck":0},"old_card":{"rank":"7","suit":"C","deck":0},"old_was_face_up":false}}',
  'p2');
