ALTER TABLE "customers" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "storefront_roots" text;