import type { Connection, SmtpAccess } from '@shared/domain/connection';

/** The one dialog the Connections page shows at a time. */
export type ConnectionDialog =
  | { kind: 'create' }
  | { kind: 'edit'; connection: Connection }
  | { kind: 'rotate'; connection: Connection }
  | { kind: 'delete'; connection: Connection }
  | { kind: 'access'; connection: Connection; access: SmtpAccess; reason: 'created' | 'rotated' }
  | { kind: 'setup'; connection: Connection }
  | { kind: 'webhooks'; connection: Connection }
  | { kind: 'deleteCaptured'; connection: Connection }
  | { kind: 'test'; connection: Connection };
