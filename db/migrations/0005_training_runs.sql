ALTER TABLE `experiments` ADD `external_run_id` text;--> statement-breakpoint
ALTER TABLE `experiments` ADD `trainer` text;--> statement-breakpoint
ALTER TABLE `experiments` ADD `project` text;--> statement-breakpoint
ALTER TABLE `experiments` ADD `run_config` text;--> statement-breakpoint
CREATE UNIQUE INDEX `experiments_external_run_uq` ON `experiments` (`external_run_id`) WHERE external_run_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `step` integer;--> statement-breakpoint
ALTER TABLE `groups` ADD `split` text;--> statement-breakpoint
ALTER TABLE `groups` ADD `policy_version` integer;--> statement-breakpoint
ALTER TABLE `groups` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `groups` ADD `content_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `groups_experiment_external_uq` ON `groups` (`experiment_id`,`external_id`) WHERE external_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `groups_experiment_step_idx` ON `groups` (`experiment_id`,`step`,`position`);--> statement-breakpoint
ALTER TABLE `rollouts` ADD `step` integer;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `split` text;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `trainer_reward` real;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `trainer_reward_components` text;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `trainer_advantage` real;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `trainer_turn_advantages` text;--> statement-breakpoint
CREATE UNIQUE INDEX `rollouts_exp_external_uq` ON `rollouts` (`experiment_id`,`external_id`) WHERE external_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `rollouts_exp_step_idx` ON `rollouts` (`experiment_id`,`step`,`outcome`);