ALTER TABLE `rollouts` ADD `recorded_reward` real;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `recomputed_reward` real;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `source_trial` integer;--> statement-breakpoint
ALTER TABLE `rollouts` ADD `tool_output_diffs` integer;