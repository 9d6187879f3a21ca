ALTER TABLE `workers` ADD `version` text;--> statement-breakpoint
ALTER TABLE `workers` ADD `node_version` text;--> statement-breakpoint
ALTER TABLE `workers` ADD `jobs_done` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `workers` ADD `jobs_failed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `workers` ADD `rollouts_done` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `workers` ADD `jobs_per_min` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `workers` ADD `rollouts_per_sec` real DEFAULT 0 NOT NULL;