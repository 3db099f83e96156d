CREATE TABLE "advisories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tracking_id" text NOT NULL,
	"status" text NOT NULL,
	"severity" text NOT NULL,
	"source_lang" text NOT NULL,
	"audience" text DEFAULT '' NOT NULL,
	"vulnerabilities" jsonb NOT NULL,
	"affected" jsonb NOT NULL,
	"references" jsonb NOT NULL,
	"content_revision" integer DEFAULT 1 NOT NULL,
	"published_revision" integer DEFAULT 0 NOT NULL,
	"initial_release_date" timestamp with time zone,
	"current_release_date" timestamp with time zone,
	"tlp" text NOT NULL,
	"scope" text NOT NULL,
	"owner_org_id" uuid,
	"created_by" uuid,
	"scope_org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"sharing_group_id" uuid,
	"recipient_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "advisory_revisions" (
	"advisory_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"date" timestamp with time zone NOT NULL,
	"summary" text NOT NULL,
	"published_by" uuid,
	"snapshot" jsonb NOT NULL,
	CONSTRAINT "advisory_revisions_advisory_id_number_pk" PRIMARY KEY("advisory_id","number")
);
--> statement-breakpoint
CREATE TABLE "advisory_texts" (
	"advisory_id" uuid NOT NULL,
	"lang" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"body" text NOT NULL,
	"remediation" text DEFAULT '' NOT NULL,
	"based_on_revision" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "advisory_texts_advisory_id_lang_pk" PRIMARY KEY("advisory_id","lang")
);
--> statement-breakpoint
CREATE TABLE "csaf_documents" (
	"advisory_id" uuid PRIMARY KEY NOT NULL,
	"revision" integer NOT NULL,
	"tlp_folder" text NOT NULL,
	"year" integer NOT NULL,
	"filename" text NOT NULL,
	"json" text NOT NULL,
	"sha256" text NOT NULL,
	"sha512" text NOT NULL,
	"signature" text NOT NULL,
	"initial_release_date" timestamp with time zone NOT NULL,
	"current_release_date" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"slug" text NOT NULL,
	"lang" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"file_sha256" text,
	"file_name" text,
	"file_content_type" text,
	"file_size" integer,
	"tlp" text NOT NULL,
	"scope" text NOT NULL,
	"owner_org_id" uuid,
	"created_by" uuid,
	"scope_org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"sharing_group_id" uuid,
	"recipient_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector(
      CASE lang WHEN 'es' THEN 'spanish'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
        WHEN 'fr' THEN 'french'::regconfig ELSE 'english'::regconfig END,
      coalesce(title, '') || ' ' || coalesce(summary, ''))) STORED
);
--> statement-breakpoint
ALTER TABLE "advisory_revisions" ADD CONSTRAINT "advisory_revisions_advisory_id_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."advisories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advisory_texts" ADD CONSTRAINT "advisory_texts_advisory_id_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."advisories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csaf_documents" ADD CONSTRAINT "csaf_documents_advisory_id_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."advisories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "advisories_tracking_id_idx" ON "advisories" USING btree ("tracking_id");--> statement-breakpoint
CREATE INDEX "advisories_status_idx" ON "advisories" USING btree ("status","current_release_date");--> statement-breakpoint
CREATE INDEX "advisories_owner_idx" ON "advisories" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "advisory_revisions_date_idx" ON "advisory_revisions" USING btree ("date");--> statement-breakpoint
CREATE UNIQUE INDEX "csaf_documents_path_idx" ON "csaf_documents" USING btree ("tlp_folder","year","filename");--> statement-breakpoint
CREATE INDEX "csaf_documents_changed_idx" ON "csaf_documents" USING btree ("current_release_date");--> statement-breakpoint
CREATE UNIQUE INDEX "publications_slug_idx" ON "publications" USING btree ("slug","lang");--> statement-breakpoint
CREATE INDEX "publications_published_idx" ON "publications" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "publications_search_idx" ON "publications" USING gin ("search");