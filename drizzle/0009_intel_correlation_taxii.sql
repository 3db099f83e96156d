CREATE TABLE "intel_correlations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"object_seq" bigint NOT NULL,
	"matched_seq" bigint NOT NULL,
	"org_id" uuid,
	"matched_org_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intel_correlations_pair" UNIQUE("object_seq","matched_seq","kind","value")
);
--> statement-breakpoint
CREATE TABLE "intel_index_state" (
	"name" text PRIMARY KEY NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_observables" (
	"object_seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"owner_org_id" uuid,
	CONSTRAINT "intel_observables_object_seq_kind_value_pk" PRIMARY KEY("object_seq","kind","value")
);
--> statement-breakpoint
CREATE TABLE "intel_sightings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"stix_id" text NOT NULL,
	"org_id" uuid NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"tlp" text NOT NULL,
	"scope" text NOT NULL,
	"owner_org_id" uuid,
	"created_by" uuid,
	"scope_org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"sharing_group_id" uuid,
	"recipient_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	CONSTRAINT "intel_sightings_org_object" UNIQUE("org_id","stix_id")
);
--> statement-breakpoint
CREATE TABLE "taxii_statuses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"collection_id" text NOT NULL,
	"status" text NOT NULL,
	"request_timestamp" timestamp (3) with time zone NOT NULL,
	"total_count" integer NOT NULL,
	"success_count" integer NOT NULL,
	"failure_count" integer NOT NULL,
	"pending_count" integer NOT NULL,
	"successes" jsonb NOT NULL,
	"failures" jsonb NOT NULL,
	"pendings" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intel_correlations" ADD CONSTRAINT "intel_correlations_object_seq_stix_objects_seq_fk" FOREIGN KEY ("object_seq") REFERENCES "public"."stix_objects"("seq") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_correlations" ADD CONSTRAINT "intel_correlations_matched_seq_stix_objects_seq_fk" FOREIGN KEY ("matched_seq") REFERENCES "public"."stix_objects"("seq") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_observables" ADD CONSTRAINT "intel_observables_object_seq_stix_objects_seq_fk" FOREIGN KEY ("object_seq") REFERENCES "public"."stix_objects"("seq") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "intel_correlations_matched_idx" ON "intel_correlations" USING btree ("matched_seq");--> statement-breakpoint
CREATE INDEX "intel_observables_value_idx" ON "intel_observables" USING btree ("value","kind");--> statement-breakpoint
CREATE INDEX "intel_sightings_stix_idx" ON "intel_sightings" USING btree ("stix_id");--> statement-breakpoint
CREATE INDEX "taxii_statuses_user_idx" ON "taxii_statuses" USING btree ("user_id");