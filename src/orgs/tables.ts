/** Countries (ISO 3166-1 reference data) and national points of contact. */
import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../core/tables.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const countries = pgTable('countries', {
  code: text('code').primaryKey(), // ISO 3166-1 alpha-2
  alpha3: text('alpha3').notNull().unique(),
  name: text('name').notNull(), // English; localised at presentation with Intl.DisplayNames
  oasMember: boolean('oas_member').notNull().default(false),
});

/** Users designated by a coordinator as national point of contact of a country (one or more). */
export const pointsOfContact = pgTable(
  'points_of_contact',
  {
    countryCode: text('country_code').notNull().references(() => countries.code),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    designatedBy: uuid('designated_by'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.countryCode, t.userId] }), index('points_of_contact_user_idx').on(t.userId)],
);
