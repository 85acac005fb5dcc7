ALTER TABLE "shops" ADD COLUMN "money_format" text;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "money_with_currency_format" text;