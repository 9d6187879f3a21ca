ALTER TABLE `task_sets` ADD `status` text DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE `task_sets` ADD `report` text;--> statement-breakpoint
ALTER TABLE `task_sets` ADD `job_id` integer;--> statement-breakpoint
ALTER TABLE `task_sets` ADD `error` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `evidence_cell` integer;