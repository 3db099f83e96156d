/**
 * Incident notifications pushed to the tabs of the person they are for: when a notification row
 * commits, its bus notice (the user id only) reaches every node, and each node sends
 * `{type: 'incidents.notice'}` on that person's open sockets. The message carries nothing else: the
 * tab reads GET /api/incidents/notifications (the person's own rows) to show the count.
 */
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../core/bus.ts';
import type { WsConnection } from '../http/ws.routes.ts';
import { NOTICE_TOPIC } from './notify.ts';

export function pushNoticesOverWs(app: FastifyInstance, bus: EventBus): void {
  const byUser = new Map<string, Set<WsConnection>>();
  const unsubscribe = bus.subscribe(NOTICE_TOPIC, (msg) => {
    for (const conn of byUser.get(msg.id) ?? []) conn.send({ type: 'incidents.notice' });
  });
  app.addHook('onClose', async () => unsubscribe());
  app.wsExtensions.push((conn) => {
    const userId = conn.actor.userId;
    let set = byUser.get(userId);
    if (!set) byUser.set(userId, (set = new Set()));
    set.add(conn);
    return {
      onClose() {
        set!.delete(conn);
        if (set!.size === 0 && byUser.get(userId) === set) byUser.delete(userId);
      },
    };
  });
}
