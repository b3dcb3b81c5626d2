import type { WebhookEndpoint } from '@shared/domain/webhook';
import type { WebhookEndpointRecord, WebhooksRepo } from '../store/webhooks-repo';

/** An endpoint as the contract shows it: never its secret, with its outbox counts and last attempt. */
export function webhookView(repo: WebhooksRepo, e: WebhookEndpointRecord): WebhookEndpoint {
  const { secret: _secret, ...rest } = e;
  return { ...rest, ...repo.stateOf(e.id) };
}
