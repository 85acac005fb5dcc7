CREATE TABLE "import_emails" (
	"shop" text NOT NULL,
	"import_id" bigint NOT NULL,
	"email" text NOT NULL,
	CONSTRAINT "import_emails_shop_import_id_email_pk" PRIMARY KEY("shop","import_id","email")
);
