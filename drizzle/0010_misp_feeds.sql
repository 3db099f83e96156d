CREATE TABLE "misp_event_items" (
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"ord" integer NOT NULL,
	"object_seq" bigint NOT NULL,
	"parent_ord" integer,
	CONSTRAINT "misp_event_items_event_id_kind_ord_pk" PRIMARY KEY("event_id","kind","ord")
);
--> statement-breakpoint
CREATE TABLE "misp_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_org_id" uuid,
	"event_uuid" uuid NOT NULL,
	"report_seq" bigint NOT NULL,
	"info" text NOT NULL,
	"misp_timestamp" bigint NOT NULL,
	"attribute_count" integer NOT NULL,
	"object_count" integer NOT NULL,
	"source" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "misp_events_owner_uuid" UNIQUE NULLS NOT DISTINCT("owner_org_id","event_uuid")
);
--> statement-breakpoint
CREATE TABLE "intel_feeds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"url" text NOT NULL,
	"authorization" text,
	"tlp_default" text NOT NULL,
	"scope" text NOT NULL,
	"sharing_group_id" uuid,
	"scope_org_ids" uuid[] DEFAULT '{}' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"interval_minutes" integer NOT NULL,
	"cursor" jsonb,
	"next_pull_at" timestamp with time zone DEFAULT now() NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"last_added" integer DEFAULT 0 NOT NULL,
	"total_added" bigint DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "misp_event_items" ADD CONSTRAINT "misp_event_items_event_id_misp_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."misp_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "misp_event_items" ADD CONSTRAINT "misp_event_items_object_seq_stix_objects_seq_fk" FOREIGN KEY ("object_seq") REFERENCES "public"."stix_objects"("seq") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "misp_events" ADD CONSTRAINT "misp_events_report_seq_stix_objects_seq_fk" FOREIGN KEY ("report_seq") REFERENCES "public"."stix_objects"("seq") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "misp_event_items_object_seq_idx" ON "misp_event_items" USING btree ("object_seq");