CREATE TABLE `import_emails` (
	`shop` text NOT NULL,
	`import_id` integer NOT NULL,
	`email` text NOT NULL,
	PRIMARY KEY(`shop`, `import_id`, `email`)
);
