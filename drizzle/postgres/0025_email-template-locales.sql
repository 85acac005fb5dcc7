DROP INDEX "email_template_versions_uq";--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "template_locale" text;--> statement-breakpoint
ALTER TABLE "email_template_versions" ADD COLUMN "locale" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "email_template_versions_uq" ON "email_template_versions" USING btree ("shop","kind","locale","version");