ALTER TABLE "shops" ADD COLUMN "customer_accounts_version" text;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "login_links_visible" smallint;