/**
 * Every method of the contract. Kept free of imports so the sandboxed preload can bundle it:
 * transports expose exactly these names. schemas.ts must give each one a params schema.
 */
export const METHODS = [
  'status.get',
  'connections.list',
  'connections.get',
  'connections.create',
  'connections.update',
  'connections.delete',
  'connections.rotatePassword',
  'domains.list',
  'domains.get',
  'domains.create',
  'domains.update',
  'domains.delete',
  'domains.generateKey',
  'domains.importKey',
  'domains.activateKey',
  'domains.deleteKey',
  'domains.checkDns',
  'messages.search',
  'messages.get',
  'messages.raw',
  'messages.content',
  'messages.attachment',
  'messages.retry',
  'messages.cancel',
  'messages.release',
  'bounces.search',
  'bounces.get',
  'bounces.analyze',
  'suppressions.search',
  'suppressions.add',
  'suppressions.remove',
  'suppressions.import',
  'suppressions.export',
  'quota.get',
  'quota.bookBlock',
  'quota.setAutoRenew',
  'quota.statements',
  'quota.exportStatement',
  'queue.list',
  'queue.state',
  'queue.pause',
  'queue.resume',
  'stats.summary',
  'stats.series',
  'maintenance.cleanup',
  'settings.get',
  'settings.update',
  'connections.setup',
  'tls.certificate',
  'webhooks.list',
  'webhooks.create',
  'webhooks.update',
  'webhooks.delete',
  'webhooks.rotateSecret',
  'webhooks.history',
  'webhooks.sendTest',
  'messages.countCaptured',
  'messages.deleteCaptured',
  'connections.sendTest',
  'activity.search',
] as const;

export type MethodName = (typeof METHODS)[number];

const NAMES: ReadonlySet<string> = new Set(METHODS);

export function isMethodName(name: string): name is MethodName {
  return NAMES.has(name);
}
