CREATE TABLE `email_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`customer_id` integer NOT NULL,
	`kind` text NOT NULL,
	`batch` text NOT NULL,
	`status` text NOT NULL,
	`skip_reason` text,
	`recipient` text,
	`subject` text,
	`html` text,
	`text` text,
	`template_version` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text,
	`last_response_code` integer,
	`message_id` text,
	`smtp_response` text,
	`actor` text NOT NULL,
	`actor_name` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`sent_at` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_outbox_key_uq` ON `email_outbox` (`shop`,`customer_id`,`kind`,`batch`);--> statement-breakpoint
CREATE INDEX `email_outbox_due_idx` ON `email_outbox` (`shop`,`next_attempt_at`,`id`) WHERE "email_outbox"."status" = 'queued';--> statement-breakpoint
CREATE INDEX `email_outbox_sending_idx` ON `email_outbox` (`shop`,`updated_at`) WHERE "email_outbox"."status" = 'sending';--> statement-breakpoint
CREATE INDEX `email_outbox_sent_idx` ON `email_outbox` (`shop`,`sent_at`) WHERE "email_outbox"."status" = 'sent';--> statement-breakpoint
CREATE INDEX `email_outbox_customer_idx` ON `email_outbox` (`shop`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `email_outbox_batch_idx` ON `email_outbox` (`shop`,`batch`,`status`);--> statement-breakpoint
CREATE TABLE `email_suppressions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`customer_id` integer NOT NULL,
	`email` text,
	`source` text NOT NULL,
	`outbox_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_suppressions_customer_uq` ON `email_suppressions` (`shop`,`customer_id`);--> statement-breakpoint
CREATE INDEX `email_suppressions_email_idx` ON `email_suppressions` (`shop`,`email`);--> statement-breakpoint
CREATE TABLE `email_template_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`kind` text NOT NULL,
	`version` integer NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_template_versions_uq` ON `email_template_versions` (`shop`,`kind`,`version`);