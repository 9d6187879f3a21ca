CREATE TABLE `rollout_classes` (
	`rollout_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`class_key` text NOT NULL,
	`n_turns` integer NOT NULL,
	`data` blob NOT NULL,
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rollout_classes_exp_idx` ON `rollout_classes` (`experiment_id`,`class_key`);