-- Full-text index of rollout messages (hand-written: drizzle-kit cannot express FTS5 tables
-- or triggers, so neither table has a db/schema file; lib/search/README.md says what is
-- indexed and why). Keep this file as it is when migrations are collapsed.
--
-- message_search_rollouts numbers every rollout that has messages (key = insertion order).
-- message_search is contentless (content=''): the text already lives in rollout_messages.body,
-- so the index stores only its posting lists. Its rowid is key * 2^20 + idx (the message's
-- position in its rollout): a search groups matches by rollout with rowid >> 20, without
-- looking up every matching message's row (3-4x faster when a word is in many messages).
-- contentless_delete lets the delete trigger drop a message's entries.
-- Columns: `text` = what the message says (user/assistant content, an assistant's error,
-- a tool result kept inline: errors and short confirmations); `tools` = each tool call's
-- name and JSON arguments; `names` = tool names only (the "tool called" filter).
-- tokenchars '_' keeps identifiers (cancel_reservation, reservation_id) whole.
CREATE TABLE message_search_rollouts (
  key INTEGER PRIMARY KEY,
  rollout_id TEXT NOT NULL UNIQUE
);
--> statement-breakpoint
CREATE VIRTUAL TABLE message_search USING fts5(
  text, tools, names,
  content = '', contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);
--> statement-breakpoint
-- One trigger catches every writer (the shared statement in db/queries/rollouts.ts used by the
-- runner, the store thread, imports and ingestion, and the synthetic bulk loader), so no
-- path can skip the index. A re-inserted saved turn hits ON CONFLICT DO NOTHING and fires nothing.
-- Messages past index 2^20 - 1 of one rollout (none exist in practice) are not indexed.
-- Keys are never deleted (a deleted rollout leaves a 20-byte row), so a message's rowid is
-- stable for the delete and update triggers.
CREATE TRIGGER rollout_messages_search_ai AFTER INSERT ON rollout_messages WHEN new.idx < 1048576 BEGIN
  INSERT OR IGNORE INTO message_search_rollouts (rollout_id) VALUES (new.rollout_id);
  INSERT INTO message_search (rowid, text, tools, names) VALUES (
    (SELECT key FROM message_search_rollouts WHERE rollout_id = new.rollout_id) * 1048576 + new.idx,
    CASE WHEN new.role = 'assistant'
      THEN concat_ws(' ', json_extract(new.body, '$.content'), json_extract(new.body, '$.error'))
      ELSE json_extract(new.body, '$.content') END,
    (SELECT group_concat(json_extract(value, '$.name') || ' ' || coalesce(json_extract(value, '$.arguments'), ''), ' ')
       FROM json_each(new.body, '$.tool_calls')),
    (SELECT group_concat(json_extract(value, '$.name'), ' ') FROM json_each(new.body, '$.tool_calls'))
  );
END;
--> statement-breakpoint
CREATE TRIGGER rollout_messages_search_ad AFTER DELETE ON rollout_messages WHEN old.idx < 1048576 BEGIN
  DELETE FROM message_search
   WHERE rowid = (SELECT key FROM message_search_rollouts WHERE rollout_id = old.rollout_id) * 1048576 + old.idx;
END;
--> statement-breakpoint
CREATE TRIGGER rollout_messages_search_au AFTER UPDATE OF body ON rollout_messages WHEN new.idx < 1048576 BEGIN
  DELETE FROM message_search
   WHERE rowid = (SELECT key FROM message_search_rollouts WHERE rollout_id = old.rollout_id) * 1048576 + old.idx;
  INSERT OR IGNORE INTO message_search_rollouts (rollout_id) VALUES (new.rollout_id);
  INSERT INTO message_search (rowid, text, tools, names) VALUES (
    (SELECT key FROM message_search_rollouts WHERE rollout_id = new.rollout_id) * 1048576 + new.idx,
    CASE WHEN new.role = 'assistant'
      THEN concat_ws(' ', json_extract(new.body, '$.content'), json_extract(new.body, '$.error'))
      ELSE json_extract(new.body, '$.content') END,
    (SELECT group_concat(json_extract(value, '$.name') || ' ' || coalesce(json_extract(value, '$.arguments'), ''), ' ')
       FROM json_each(new.body, '$.tool_calls')),
    (SELECT group_concat(json_extract(value, '$.name'), ' ') FROM json_each(new.body, '$.tool_calls'))
  );
END;
--> statement-breakpoint
-- Backfill the messages written before this migration (the demo's 25,322 messages: ~0.1 s).
INSERT INTO message_search_rollouts (rollout_id)
SELECT rollout_id FROM rollout_messages GROUP BY rollout_id ORDER BY min(id);
--> statement-breakpoint
INSERT INTO message_search (rowid, text, tools, names)
SELECT k.key * 1048576 + m.idx,
  CASE WHEN m.role = 'assistant'
    THEN concat_ws(' ', json_extract(m.body, '$.content'), json_extract(m.body, '$.error'))
    ELSE json_extract(m.body, '$.content') END,
  (SELECT group_concat(json_extract(value, '$.name') || ' ' || coalesce(json_extract(value, '$.arguments'), ''), ' ')
     FROM json_each(m.body, '$.tool_calls')),
  (SELECT group_concat(json_extract(value, '$.name'), ' ') FROM json_each(m.body, '$.tool_calls'))
FROM rollout_messages m JOIN message_search_rollouts k ON k.rollout_id = m.rollout_id
WHERE m.idx < 1048576;
