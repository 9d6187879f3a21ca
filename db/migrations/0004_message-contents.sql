CREATE TABLE `message_contents` (
	`id` integer PRIMARY KEY NOT NULL,
	`content` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `rollout_messages` ADD `content_id` integer;