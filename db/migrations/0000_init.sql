CREATE TABLE `environments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`source_kind` text NOT NULL,
	`seed` integer,
	`domain_dir` text,
	`note` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "environments_source_check" CHECK(("environments"."source_kind" = 'generated' AND "environments"."seed" IS NOT NULL) OR ("environments"."source_kind" = 'tau2' AND "environments"."domain_dir" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `environments_name_unique` ON `environments` (`name`);--> statement-breakpoint
CREATE TABLE `task_sets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`environment_id` integer,
	`source` text NOT NULL,
	`config` text,
	`task_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `task_sets_name_unique` ON `task_sets` (`name`);--> statement-breakpoint
CREATE INDEX `task_sets_environment_idx` ON `task_sets` (`environment_id`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_set_id` integer NOT NULL,
	`task_id` text NOT NULL,
	`body` text NOT NULL,
	`writes` integer,
	`evidence_total` integer,
	`behavior` text,
	`decision_types` text DEFAULT '[]' NOT NULL,
	`state_seed` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`task_set_id`) REFERENCES `task_sets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_set_task_uq` ON `tasks` (`task_set_id`,`task_id`);--> statement-breakpoint
CREATE INDEX `tasks_set_wb_idx` ON `tasks` (`task_set_id`,`writes`,`evidence_total`);--> statement-breakpoint
CREATE INDEX `tasks_set_behavior_idx` ON `tasks` (`task_set_id`,`behavior`);--> statement-breakpoint
CREATE TABLE `model_endpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`base_url` text NOT NULL,
	`model` text NOT NULL,
	`api_key` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_endpoints_name_unique` ON `model_endpoints` (`name`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`task_set_id` integer,
	`agent_config` text NOT NULL,
	`user_config` text NOT NULL,
	`group_size` integer NOT NULL,
	`max_turns` integer NOT NULL,
	`max_errors` integer NOT NULL,
	`temperature` real DEFAULT 0 NOT NULL,
	`seed` integer DEFAULT 0 NOT NULL,
	`concurrency` integer DEFAULT 4 NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`rollouts_total` integer DEFAULT 0 NOT NULL,
	`rollouts_done` integer DEFAULT 0 NOT NULL,
	`rollouts_passed` integer DEFAULT 0 NOT NULL,
	`rollouts_errored` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`source` text DEFAULT 'run' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`task_set_id`) REFERENCES `task_sets`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `experiments_created_idx` ON `experiments` (`created_at`);--> statement-breakpoint
CREATE INDEX `experiments_status_idx` ON `experiments` (`status`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`task_id` text NOT NULL,
	`size` integer NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`passed` integer DEFAULT 0 NOT NULL,
	`mean_reward` real,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `groups_experiment_task_idx` ON `groups` (`experiment_id`,`task_id`);--> statement-breakpoint
CREATE TABLE `rollouts` (
	`id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`group_id` text NOT NULL,
	`task_id` text NOT NULL,
	`sample_index` integer NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`outcome` integer,
	`reward` real,
	`termination` text,
	`turns` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`writes` integer,
	`evidence_total` integer,
	`behavior` text,
	`error_count` integer DEFAULT 0 NOT NULL,
	`metadata` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rollouts_exp_created_idx` ON `rollouts` (`experiment_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `rollouts_exp_outcome_idx` ON `rollouts` (`experiment_id`,`outcome`);--> statement-breakpoint
CREATE INDEX `rollouts_exp_task_idx` ON `rollouts` (`experiment_id`,`task_id`,`sample_index`);--> statement-breakpoint
CREATE INDEX `rollouts_exp_wb_idx` ON `rollouts` (`experiment_id`,`writes`,`evidence_total`);--> statement-breakpoint
CREATE INDEX `rollouts_exp_behavior_idx` ON `rollouts` (`experiment_id`,`behavior`);--> statement-breakpoint
CREATE INDEX `rollouts_exp_termination_idx` ON `rollouts` (`experiment_id`,`termination`);--> statement-breakpoint
CREATE INDEX `rollouts_group_idx` ON `rollouts` (`group_id`,`sample_index`);--> statement-breakpoint
CREATE TABLE `rollout_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rollout_id` text NOT NULL,
	`idx` integer NOT NULL,
	`role` text NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rollout_messages_rollout_idx_uq` ON `rollout_messages` (`rollout_id`,`idx`);--> statement-breakpoint
CREATE TABLE `reward_configs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`experiment_id` integer,
	`parent_id` integer,
	`config` text NOT NULL,
	`hash` text NOT NULL,
	`note` text,
	`metrics` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_id`) REFERENCES `reward_configs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `reward_configs_experiment_idx` ON `reward_configs` (`experiment_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `reward_configs_hash_idx` ON `reward_configs` (`hash`);--> statement-breakpoint
CREATE TABLE `saved_views` (
	`id` text PRIMARY KEY NOT NULL,
	`path` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`run_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer DEFAULT 5 NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`progress_done` integer DEFAULT 0 NOT NULL,
	`progress_total` integer,
	`progress_message` text,
	`result` text,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `jobs_claim_idx` ON `jobs` (`status`,`priority`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_lease_idx` ON `jobs` (`status`,`lease_expires_at`);--> statement-breakpoint
CREATE INDEX `jobs_name_idx` ON `jobs` (`name`,`id`);--> statement-breakpoint
CREATE TABLE `job_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` integer NOT NULL,
	`key` text NOT NULL,
	`attempt` integer NOT NULL,
	`worker_id` text,
	`output` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_steps_job_key_uq` ON `job_steps` (`job_id`,`key`);--> statement-breakpoint
CREATE TABLE `workers` (
	`id` text PRIMARY KEY NOT NULL,
	`pid` integer NOT NULL,
	`host` text NOT NULL,
	`concurrency` integer NOT NULL,
	`running` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`heartbeat_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `seed_markers` (
	`key` text PRIMARY KEY NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
