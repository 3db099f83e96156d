CREATE TABLE "mailing_bounces" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"diagnostic" text DEFAULT '' NOT NULL,
	"campaign_id" uuid,
	"recipient_seq" bigint,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailing_campaigns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"list_id" uuid NOT NULL,
	"subject" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"topic" text,
	"status" text NOT NULL,
	"tlp" text NOT NULL,
	"scope" text NOT NULL,
	"owner_org_id" uuid,
	"created_by" uuid,
	"scope_org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"sharing_group_id" uuid,
	"recipient_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"rate_per_second" integer,
	"scheduled_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"recipient_count" integer,
	"chain_id" uuid,
	"origin" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailing_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"audience" jsonb,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mailing_opt_outs" (
	"list_id" uuid NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailing_opt_outs_list_id_email_pk" PRIMARY KEY("list_id","email")
);
--> statement-breakpoint
CREATE TABLE "mailing_recipients" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"email" text NOT NULL,
	"locale" text NOT NULL,
	"user_id" uuid,
	"subscriber_id" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"variant" text
);
--> statement-breakpoint
CREATE TABLE "mailing_subscribers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"list_id" uuid NOT NULL,
	"email" text NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text NOT NULL,
	"confirm_token_hash" text,
	"confirm_expires_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailing_suppressions" (
	"email" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mailing_campaigns" ADD CONSTRAINT "mailing_campaigns_list_id_mailing_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."mailing_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailing_opt_outs" ADD CONSTRAINT "mailing_opt_outs_list_id_mailing_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."mailing_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailing_recipients" ADD CONSTRAINT "mailing_recipients_campaign_id_mailing_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."mailing_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailing_subscribers" ADD CONSTRAINT "mailing_subscribers_list_id_mailing_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."mailing_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mailing_bounces_email_idx" ON "mailing_bounces" USING btree (lower("email"),"received_at");--> statement-breakpoint
CREATE INDEX "mailing_campaigns_list_idx" ON "mailing_campaigns" USING btree ("list_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "mailing_campaigns_origin_idx" ON "mailing_campaigns" USING btree ("list_id","origin") WHERE origin <> 'manual';--> statement-breakpoint
CREATE UNIQUE INDEX "mailing_lists_slug_idx" ON "mailing_lists" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "mailing_recipients_claim_idx" ON "mailing_recipients" USING btree ("campaign_id","status","seq");--> statement-breakpoint
CREATE INDEX "mailing_recipients_email_idx" ON "mailing_recipients" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "mailing_subscribers_list_email_idx" ON "mailing_subscribers" USING btree ("list_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "mailing_subscribers_confirm_idx" ON "mailing_subscribers" USING btree ("confirm_token_hash");--> statement-breakpoint
CREATE INDEX "mailing_subscribers_status_idx" ON "mailing_subscribers" USING btree ("list_id","status");