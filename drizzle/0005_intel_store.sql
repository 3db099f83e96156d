CREATE TABLE "stix_objects" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"stix_id" text NOT NULL,
	"type" text NOT NULL,
	"spec_version" text NOT NULL,
	"created" timestamp (6) with time zone,
	"modified" timestamp (6) with time zone,
	"version" timestamp (6) with time zone,
	"revoked" boolean DEFAULT false NOT NULL,
	"title" text,
	"source_ref" text,
	"target_ref" text,
	"refs" text[] DEFAULT '{}' NOT NULL,
	"raw" text NOT NULL,
	"content_hash" text NOT NULL,
	"date_added" timestamp (6) with time zone NOT NULL,
	"tlp" text NOT NULL,
	"scope" text NOT NULL,
	"owner_org_id" uuid,
	"created_by" uuid,
	"scope_org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"sharing_group_id" uuid,
	"recipient_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	CONSTRAINT "stix_objects_owner_id_version" UNIQUE NULLS NOT DISTINCT("owner_org_id","stix_id","version")
);
--> statement-breakpoint
CREATE INDEX "stix_objects_id_version_idx" ON "stix_objects" USING btree ("stix_id","version");--> statement-breakpoint
CREATE INDEX "stix_objects_date_added_idx" ON "stix_objects" USING btree ("date_added");--> statement-breakpoint
CREATE INDEX "stix_objects_type_idx" ON "stix_objects" USING btree ("type","date_added");--> statement-breakpoint
CREATE INDEX "stix_objects_source_ref_idx" ON "stix_objects" USING btree ("source_ref");--> statement-breakpoint
CREATE INDEX "stix_objects_target_ref_idx" ON "stix_objects" USING btree ("target_ref");