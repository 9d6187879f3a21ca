CREATE TABLE `experiment_policy_counts` (
	`experiment_id` integer NOT NULL,
	`rule` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`rollouts` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`experiment_id`, `rule`),
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `experiments` ADD `job_id` integer;--> statement-breakpoint
ALTER TABLE `experiments` ADD `error` text;--> statement-breakpoint
ALTER TABLE `experiments` ADD `task_ids` text;--> statement-breakpoint
ALTER TABLE `experiments` ADD `metadata` text;--> statement-breakpoint
ALTER TABLE `groups` ADD `position` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `writes` integer;--> statement-breakpoint
ALTER TABLE `groups` ADD `evidence_total` integer;--> statement-breakpoint
ALTER TABLE `groups` ADD `evidence_cell` integer;--> statement-breakpoint
ALTER TABLE `groups` ADD `behavior` text;--> statement-breakpoint
CREATE INDEX `groups_experiment_position_idx` ON `groups` (`experiment_id`,`position`);--> statement-breakpoint
CREATE INDEX `groups_experiment_wb_idx` ON `groups` (`experiment_id`,`writes`,`evidence_cell`,`position`);--> statement-breakpoint
ALTER TABLE `rollouts` ADD `evidence_cell` integer;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `preset` text;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `violations` text;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `violation_count` integer;--> statement-breakpoint
CREATE INDEX `rollouts_exp_status_idx` ON `rollouts` (`experiment_id`,`status`);