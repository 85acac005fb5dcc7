CREATE TABLE `task_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`task_id` integer NOT NULL,
	`item_key` text NOT NULL,
	`customer_id` integer,
	`label` text,
	`outcome` text NOT NULL,
	`message` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `task_items_item_uq` ON `task_items` (`shop`,`task_id`,`item_key`);--> statement-breakpoint
CREATE INDEX `task_items_task_idx` ON `task_items` (`shop`,`task_id`,`id`);--> statement-breakpoint
CREATE INDEX `task_items_outcome_idx` ON `task_items` (`shop`,`task_id`,`outcome`,`id`);--> statement-breakpoint
CREATE INDEX `task_items_customer_idx` ON `task_items` (`shop`,`customer_id`) WHERE "task_items"."customer_id" is not null;--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`status` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`input` text NOT NULL,
	`checkpoint` text,
	`progress_done` integer DEFAULT 0 NOT NULL,
	`progress_total` integer,
	`unit_one` text NOT NULL,
	`unit_other` text NOT NULL,
	`done_items` integer DEFAULT 0 NOT NULL,
	`skipped_items` integer DEFAULT 0 NOT NULL,
	`failed_items` integer DEFAULT 0 NOT NULL,
	`summary` text,
	`error` text,
	`actor` text NOT NULL,
	`actor_name` text,
	`created_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`progress_at` text,
	`cancel_requested_at` text,
	`locked_by` text,
	`locked_until` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_idempotency_uq` ON `tasks` (`shop`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `tasks_shop_id_idx` ON `tasks` (`shop`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_active_idx` ON `tasks` (`shop`,`id`) WHERE "tasks"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX `tasks_queue_idx` ON `tasks` (`id`) WHERE "tasks"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX `tasks_finished_idx` ON `tasks` (`finished_at`) WHERE "tasks"."finished_at" is not null;--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text,
	`action` text NOT NULL,
	`customer_id` integer,
	`subject` text NOT NULL,
	`before` text,
	`after` text,
	`task_id` integer,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_shop_idx` ON `audit_events` (`shop`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_customer_idx` ON `audit_events` (`shop`,`customer_id`,`id`) WHERE "audit_events"."customer_id" is not null;--> statement-breakpoint
CREATE INDEX `audit_events_actor_idx` ON `audit_events` (`shop`,`actor`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_action_idx` ON `audit_events` (`shop`,`action`,`id`);