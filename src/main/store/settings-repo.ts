import type { Db } from './db';

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  all(): Map<string, unknown> {
    const rows = this.db
      .prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings')
      .all();
    return new Map(rows.map((r) => [r.key, JSON.parse(r.value_json) as unknown]));
  }

  save(values: Record<string, unknown>): void {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values)) upsert.run(key, JSON.stringify(value));
    })();
  }
}
