import { defineConfig } from 'drizzle-kit';

// Migrations are generated offline (`npm run db:generate -- --name what_changed`) and committed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
