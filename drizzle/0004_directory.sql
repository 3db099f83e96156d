CREATE TABLE "constituency_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "constituency_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_check_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"check_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"contact_id" uuid,
	"email" text NOT NULL,
	"user_id" uuid,
	"token_hash" text NOT NULL,
	"answered_at" timestamp with time zone,
	"answered_by" text
);
--> statement-breakpoint
CREATE TABLE "contact_check_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"sharing_group_id" uuid,
	"every_months" integer NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"sharing_group_id" uuid,
	"schedule_id" uuid,
	"started_by" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_generation" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"generation" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pgp_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"contact_id" uuid,
	"fingerprint" text NOT NULL,
	"user_ids" text[] NOT NULL,
	"algorithm" text NOT NULL,
	"bits" integer,
	"key_created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked" boolean DEFAULT false NOT NULL,
	"armored" text NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expiry_notice_sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "team_contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"function" text DEFAULT '' NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"visibility" text DEFAULT 'members' NOT NULL,
	"last_verified_at" timestamp with time zone,
	"last_verified_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_profiles" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"official_name" text,
	"additional_countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"established" text,
	"role_email" text,
	"phones" text[] DEFAULT '{}'::text[] NOT NULL,
	"emergency_phone" text,
	"business_hours" text,
	"time_zone" text,
	"constituency_description" text DEFAULT '' NOT NULL,
	"sectors" text[] DEFAULT '{}'::text[] NOT NULL,
	"field_visibility" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_confirmed_at" timestamp with time zone,
	"last_confirmed_by" uuid,
	"stale_notified_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "constituency_entries" ADD CONSTRAINT "constituency_entries_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_check_requests" ADD CONSTRAINT "contact_check_requests_check_id_contact_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."contact_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_check_requests" ADD CONSTRAINT "contact_check_requests_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_check_requests" ADD CONSTRAINT "contact_check_requests_contact_id_team_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."team_contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_check_requests" ADD CONSTRAINT "contact_check_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_check_schedules" ADD CONSTRAINT "contact_check_schedules_sharing_group_id_sharing_groups_id_fk" FOREIGN KEY ("sharing_group_id") REFERENCES "public"."sharing_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_checks" ADD CONSTRAINT "contact_checks_sharing_group_id_sharing_groups_id_fk" FOREIGN KEY ("sharing_group_id") REFERENCES "public"."sharing_groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_notices" ADD CONSTRAINT "directory_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pgp_keys" ADD CONSTRAINT "pgp_keys_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pgp_keys" ADD CONSTRAINT "pgp_keys_contact_id_team_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."team_contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_contacts" ADD CONSTRAINT "team_contacts_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_profiles" ADD CONSTRAINT "team_profiles_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "constituency_entries_uniq" ON "constituency_entries" USING btree ("org_id","kind","value");--> statement-breakpoint
CREATE INDEX "constituency_entries_value_idx" ON "constituency_entries" USING btree ("kind","value");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_check_requests_token_idx" ON "contact_check_requests" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "contact_check_requests_check_idx" ON "contact_check_requests" USING btree ("check_id");--> statement-breakpoint
CREATE INDEX "directory_notices_user_idx" ON "directory_notices" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pgp_keys_org_fpr_idx" ON "pgp_keys" USING btree ("org_id","fingerprint");--> statement-breakpoint
CREATE INDEX "pgp_keys_expiry_idx" ON "pgp_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "team_contacts_org_idx" ON "team_contacts" USING btree ("org_id");