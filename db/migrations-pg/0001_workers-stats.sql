ALTER TABLE "workers" ADD COLUMN "version" text;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "node_version" text;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "jobs_done" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "jobs_failed" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "rollouts_done" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "jobs_per_min" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "rollouts_per_sec" double precision DEFAULT 0 NOT NULL;