ALTER TABLE "intel_observables" DROP CONSTRAINT "intel_observables_object_seq_stix_objects_seq_fk";
--> statement-breakpoint
ALTER TABLE "misp_event_items" DROP CONSTRAINT "misp_event_items_object_seq_stix_objects_seq_fk";
--> statement-breakpoint
DROP INDEX "stix_objects_source_ref_idx";--> statement-breakpoint
DROP INDEX "stix_objects_target_ref_idx";--> statement-breakpoint
CREATE INDEX "stix_objects_source_ref_idx" ON "stix_objects" USING btree ("source_ref") WHERE "stix_objects"."source_ref" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "stix_objects_target_ref_idx" ON "stix_objects" USING btree ("target_ref") WHERE "stix_objects"."target_ref" IS NOT NULL;