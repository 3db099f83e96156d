ALTER TABLE "misp_events" ADD COLUMN "marking_classes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "misp_events" ADD COLUMN "ords_dense" boolean DEFAULT true NOT NULL;--> statement-breakpoint
UPDATE "misp_events" e SET "marking_classes" = coalesce((
  SELECT jsonb_agg(jsonb_build_object('rep', c.rep, 'attributes', c.a, 'objects', c.o) ORDER BY c.rep)
  FROM (
    SELECT min(s.seq) AS rep, count(*) FILTER (WHERE i.kind = 'attribute') AS a, count(*) FILTER (WHERE i.kind = 'object') AS o
    FROM "misp_event_items" i JOIN "stix_objects" s ON s.seq = i.object_seq
    WHERE i.event_id = e.id
    GROUP BY s.tlp, s.scope, s.owner_org_id, s.created_by, s.scope_org_ids, s.sharing_group_id, s.recipient_user_ids
  ) c), '[]'::jsonb),
  "ords_dense" = (SELECT count(*) = coalesce(max(i.ord) + 1, 0) FROM "misp_event_items" i WHERE i.event_id = e.id AND i.kind = 'attribute');
