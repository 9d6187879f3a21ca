-- Full-text index of rollout messages (hand-written: drizzle-kit cannot express FTS5 tables
-- or triggers; lib/search/README.md says what is indexed and why). Keep this file as it is
-- when migrations are collapsed.
--
-- Contentless (content=''): the text already lives in rollout_messages.body, so the index
-- stores only its posting lists; rowid = rollout_messages.id. contentless_delete lets the
-- delete trigger drop a message's entries (rollouts deleted with their experiment).
-- Columns: `text` = what the message says (user/assistant content, an assistant's error,
-- a tool result kept inline: errors and short confirmations); `tools` = each tool call's
-- name and JSON arguments; `names` = tool names only (the "tool called" filter).
-- tokenchars '_' keeps identifiers (cancel_reservation, reservation_id) whole.
CREATE VIRTUAL TABLE message_search USING fts5(
  text, tools, names,
  content = '', contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);
--> statement-breakpoint
-- One trigger catches every writer (the shared statement in db/queries/rollouts.ts used by the
-- runner, the store thread, imports and ingestion, and the synthetic bulk loader), so no
-- path can skip the index. A re-inserted saved turn hits ON CONFLICT DO NOTHING and fires nothing.
CREATE TRIGGER rollout_messages_search_ai AFTER INSERT ON rollout_messages BEGIN
  INSERT INTO message_search (rowid, text, tools, names) VALUES (
    new.id,
    CASE WHEN new.role = 'assistant'
      THEN concat_ws(' ', json_extract(new.body, '$.content'), json_extract(new.body, '$.error'))
      ELSE json_extract(new.body, '$.content') END,
    (SELECT group_concat(json_extract(value, '$.name') || ' ' || coalesce(json_extract(value, '$.arguments'), ''), ' ')
       FROM json_each(new.body, '$.tool_calls')),
    (SELECT group_concat(json_extract(value, '$.name'), ' ') FROM json_each(new.body, '$.tool_calls'))
  );
END;
--> statement-breakpoint
CREATE TRIGGER rollout_messages_search_ad AFTER DELETE ON rollout_messages BEGIN
  DELETE FROM message_search WHERE rowid = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER rollout_messages_search_au AFTER UPDATE OF body ON rollout_messages BEGIN
  DELETE FROM message_search WHERE rowid = old.id;
  INSERT INTO message_search (rowid, text, tools, names) VALUES (
    new.id,
    CASE WHEN new.role = 'assistant'
      THEN concat_ws(' ', json_extract(new.body, '$.content'), json_extract(new.body, '$.error'))
      ELSE json_extract(new.body, '$.content') END,
    (SELECT group_concat(json_extract(value, '$.name') || ' ' || coalesce(json_extract(value, '$.arguments'), ''), ' ')
       FROM json_each(new.body, '$.tool_calls')),
    (SELECT group_concat(json_extract(value, '$.name'), ' ') FROM json_each(new.body, '$.tool_calls'))
  );
END;
--> statement-breakpoint
-- Backfill the messages written before this migration (the demo's 400 rollouts: see README Benchmarks).
INSERT INTO message_search (rowid, text, tools, names)
SELECT id,
  CASE WHEN role = 'assistant'
    THEN concat_ws(' ', json_extract(body, '$.content'), json_extract(body, '$.error'))
    ELSE json_extract(body, '$.content') END,
  (SELECT group_concat(json_extract(value, '$.name') || ' ' || coalesce(json_extract(value, '$.arguments'), ''), ' ')
     FROM json_each(rollout_messages.body, '$.tool_calls')),
  (SELECT group_concat(json_extract(value, '$.name'), ' ') FROM json_each(rollout_messages.body, '$.tool_calls'))
FROM rollout_messages;
