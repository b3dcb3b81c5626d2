import type { MethodName } from './methods';

/** One line of purpose and the result's shape, per method: the source of docs/api.md. */
export const METHOD_DOCS: Record<MethodName, { summary: string; result: string }> = {
  'status.get': {
    summary: 'Relay listener (address, port, public host, TLS certificate fingerprint), counts, version.',
    result: 'RelayStatus',
  },
  'connections.list': { summary: 'All connected systems, with active/inactive.', result: 'Connection[]' },
  'connections.get': { summary: 'One connection.', result: 'Connection' },
  'connections.create': {
    summary:
      'New connection; returns the SMTP access data once (the password is stored only as a scrypt hash). Names are unique without case: a taken one is refused as `conflict` with `fields.name`.',
    result: '{ connection: Connection, access: SmtpAccess }',
  },
  'connections.update': {
    summary:
      'Rename, enable/disable, switch live/sandbox, set the hourly limit, accept any sender (sandbox only; switching to live turns it off). A name another connection has (compared without case) is refused as `conflict` with `fields.name`.',
    result: 'Connection',
  },
  'connections.delete': { summary: 'Remove a connection; its messages stay.', result: '{ id }' },
  'connections.rotatePassword': {
    summary: 'New password, returned once; the old one stops working at once.',
    result: '{ connection: Connection, access: SmtpAccess }',
  },
  'domains.list': {
    summary: 'All sending domains with their DKIM keys, DNS records, connections and problems.',
    result: 'SendingDomain[]',
  },
  'domains.get': { summary: 'One sending domain.', result: 'SendingDomain' },
  'domains.create': {
    summary:
      'New sending domain (Unicode or xn-- form) with its List-Help value and allowed connections; generates a first DKIM key unless key is null.',
    result: 'SendingDomain',
  },
  'domains.update': {
    summary: 'Change the List-Help value or the connections allowed to send from the domain.',
    result: 'SendingDomain',
  },
  'domains.delete': {
    summary:
      'Remove a sending domain and its keys; mail from it is refused afterwards. Refused (`conflict`, saying how many) while mail waiting for delivery is signed with one of its keys.',
    result: '{ id }',
  },
  'domains.generateKey': {
    summary:
      'New DKIM key (rsa-sha256 2048-bit or ed25519-sha256). Active when the domain has no active key of that algorithm, else standby until activateKey.',
    result: '{ domain: SendingDomain, key: DkimKey }',
  },
  'domains.importKey': {
    summary:
      'Import a PEM private key (RSA or Ed25519); refuses public keys and garbage, warns below 2048 bits.',
    result: '{ domain: SendingDomain, key: DkimKey, warnings: string[] }',
  },
  'domains.activateKey': {
    summary: 'Switch signing to this key; the active key of its algorithm goes to standby.',
    result: 'SendingDomain',
  },
  'domains.deleteKey': {
    summary:
      'Delete a key and its private key file. Refused (`conflict`, saying how many and what to do) while mail waiting for delivery (queued, deferred, sending) is signed with it.',
    result: 'SendingDomain',
  },
  'domains.checkDns': {
    summary:
      'Look up DKIM (every key), SPF, DMARC and the bounce domain MX; findings in plain words with the record to publish.',
    result: '{ domain: SendingDomain, result: DnsCheckResult }',
  },
  'messages.search': {
    summary:
      'Messages newest first, filtered by full-text words (subject, senders, recipients), subject words, recipient, sender, Message-ID, status, connection, sending domain and date range; paged by cursor.',
    result: '{ items: MessageSummary[], nextCursor: string | null }',
  },
  'messages.get': {
    summary: 'One message: envelope, client, headers, recipients with status, event timeline.',
    result: 'MessageDetail',
  },
  'messages.raw': {
    summary:
      'The stored source (up to maxBytes), as it will be sent; as text, or base64 for a byte-exact copy.',
    result: '{ id, raw, size, truncated }',
  },
  'messages.content': {
    summary:
      'The stored mail taken apart for display: HTML and text parts, attachments (name, type, size), count of remote resources in the HTML, and the DKIM verification of the stored source. Parts nested more than 50 levels deep and parts after the first 500 are left out; `notice` then says so (null when all is shown).',
    result: 'MessageContent',
  },
  'messages.attachment': {
    summary: 'One attachment (by its index in messages.content), base64-encoded.',
    result: '{ filename, contentType, size, base64 }',
  },
  'messages.retry': {
    summary: 'Try the waiting (queued or deferred) recipients of a message now, ahead of their schedule.',
    result: '{ id, recipients }',
  },
  'messages.cancel': {
    summary: 'Stop delivery to the waiting recipients of a message; they become cancelled.',
    result: '{ id, recipients }',
  },
  'messages.release': {
    summary:
      "Deliver a sandbox capture for real. target {to:'original'} (default) queues its captured recipients; {to:'address', address} delivers only to that address (a new recipient; the original ones stay captured and are not contacted). A capture kept unsigned (a connection that accepts any sender) is signed now when its From: domain is a sending domain with an active DKIM key and List-Help; otherwise it goes out unsigned to a typed address, and a release to the original recipients is refused (conflict).",
    result:
      "{ id, recipients, to: 'original' | 'address', signing: 'signed' | 'signed-at-release' | 'unsigned' }",
  },
  'bounces.search': {
    summary:
      'Bounces, complaints and auto-replies, newest first, by reason, hard/soft, kind, connection, time or text.',
    result: '{ items: BounceRecord[], nextCursor: string | null }',
  },
  'bounces.get': {
    summary: 'One bounce with its raw report (asynchronous bounces).',
    result: 'BounceDetail',
  },
  'bounces.analyze': {
    summary:
      "Parse a pasted bounce, DSN, ARF complaint or auto-reply with the listener's own parser: the report's kind and reporting MTA, and one entry per recipient with recipient, reason, hard, explanation and the facts read (status, replyCode, action, diagnostic, diagnosticType, remoteMta, command), plus wouldSuppress (the suppression — hard-bounce or complaint — the bounce recorder's own rule would add had the report come back for mail Relaydesk sent, or null) and alreadySuppressed (the address is on the suppression list now). Changes nothing.",
    result: 'PastedBounceAnalysis',
  },
  'suppressions.search': {
    summary: 'The suppression list, newest first, by address text or reason.',
    result: '{ items, nextCursor, total }',
  },
  'suppressions.add': {
    summary: 'Suppress an address by hand: mail to it is refused at RCPT TO.',
    result: 'Suppression',
  },
  'suppressions.remove': {
    summary: 'Take an address off the list, so mail to it is accepted again.',
    result: '{ address }',
  },
  'suppressions.import': {
    summary:
      'Import CSV (header: address, reason, detail, created_at; or one address per line). All valid lines are added; each bad line is reported.',
    result: '{ added, alreadyListed, errors }',
  },
  'suppressions.export': {
    summary: 'The whole list as CSV (address, reason, detail, created_at).',
    result: '{ csv, count }',
  },
  'stats.summary': {
    summary:
      'Totals for today (from midnight in `timeZone`, to the minute), the last 7 and the last 30 days: the recipients of the mail accepted in the window, each once in its current state (arrived, delivered, bounced hard/soft, expired, complained; deferred = deferred at least once), and mails rejected at intake; delivery rate (delivered + complained) and bounce rate over the recipients whose fate is known. Optionally for one connection or sending domain.',
    result: 'StatsSummary',
  },
  'stats.series': {
    summary:
      'What happened per minute, hour (UTC buckets) or day (the days of `timeZone`) over a range (at most 2,000 buckets), empty buckets included: recipients arrived, and each recipient’s first delivery, first deferral, expiry, first bounce and complaint; mails rejected. Optionally for one connection or sending domain.',
    result: '{ bucket, timeZone, points: StatsPoint[] }',
  },
  'maintenance.cleanup': {
    summary:
      'Apply the retention settings now: remove mail bodies and then metadata older than their limits (statistics stay). Also runs at start and every hour.',
    result: 'CleanupReport',
  },
  'quota.get': {
    summary:
      'Balance, remaining quota, overage of the open period, blocks with expiry, demo limit state, alert settings, daily usage (the days of `timeZone`).',
    result: 'QuotaSummary',
  },
  'quota.bookBlock': {
    summary:
      'Book a block (one of the offered sizes, at least 25,000): valid 30 days, renews unless auto-renew is off.',
    result: 'QuotaSummary',
  },
  'quota.setAutoRenew': { summary: 'Turn auto-renew of an active block on or off.', result: 'QuotaSummary' },
  'quota.statements': {
    summary:
      'One statement per 30-day billing period: blocks, used, expired, overage (count and amount), per connection; its first and last day in `timeZone`.',
    result: 'Statement[]',
  },
  'quota.exportStatement': {
    summary: 'A statement as CSV or as a printable HTML page, dated in `timeZone` like `quota.statements`.',
    result: '{ filename, contentType, content }',
  },
  'queue.list': {
    summary:
      'Recipients waiting for delivery (queued, deferred, sending), soonest due first, with the last reply.',
    result: '{ items: QueueEntry[], nextCursor: string | null }',
  },
  'queue.state': {
    summary: 'Paused domains ("*" = all), waiting counts, open delivery connections.',
    result: 'QueueState',
  },
  'queue.pause': {
    summary: 'Pause delivery to one recipient domain, or all delivery without one. Mail keeps arriving.',
    result: 'QueueState',
  },
  'queue.resume': {
    summary: 'Resume delivery to one recipient domain, or all delivery without one.',
    result: 'QueueState',
  },
  'settings.get': {
    summary:
      'Every setting: type, description, default, current value; its plain label, group (see docs/settings.md) and unit; whether it needs a restart and whether a saved value is waiting for one (`pendingRestart`).',
    result: 'SettingEntry[]',
  },
  'settings.update': {
    summary:
      'Change settings; all values are checked first and nothing is saved if one is wrong (an `invalid_params` error whose `fields` names each bad key and what is expected).',
    result: 'SettingEntry[]',
  },
  'connections.setup': {
    summary:
      'Ready-to-copy settings for a connection in each shop system (WP Mail SMTP, FluentSMTP, Magento 2, Shopware 6, PrestaShop, Laravel, Symfony, Django, Nodemailer, PHPMailer, smtplib, Postfix): host and port from the relay, the username, a placeholder for the password, and how each trusts the certificate. Warns when the certificate does not name the host.',
    result:
      '{ connectionId, values: SetupValues, setup: { snippets: ShopSnippet[], hostMatchesCertificate, hostWarning } }',
  },
  'tls.certificate': {
    summary:
      'The STARTTLS certificate shops download to trust (relaydesk-ca.pem): PEM text, SHA-256 fingerprint, names, validity. Never the private key.',
    result: 'CertificateDownload',
  },
  'webhooks.list': {
    summary:
      "A connection's webhook endpoints: URL, event types, enabled, events waiting or given up, last attempt. Never the secret.",
    result: 'WebhookEndpoint[]',
  },
  'webhooks.create': {
    summary:
      'New endpoint (http/https URL without credentials) for some or all of delivered, deferred, bounced, expired, complained; returns the signing secret once.',
    result: '{ endpoint: WebhookEndpoint, secret }',
  },
  'webhooks.update': {
    summary:
      'Change the URL or event types, enable or disable. Events of a disabled endpoint are not queued.',
    result: 'WebhookEndpoint',
  },
  'webhooks.delete': {
    summary: 'Remove an endpoint with its waiting events and history.',
    result: '{ id }',
  },
  'webhooks.rotateSecret': {
    summary: 'New signing secret, returned once; the old one stops signing at once.',
    result: '{ endpoint: WebhookEndpoint, secret }',
  },
  'webhooks.history': {
    summary:
      'Attempts of an endpoint, newest first (up to 200 kept): time, event, HTTP status or error, duration.',
    result: 'WebhookAttempt[]',
  },
  'webhooks.sendTest': {
    summary:
      'POSTs a signed `test` event to the endpoint now, once (never retried), and returns the attempt.',
    result: 'WebhookAttempt',
  },
  'messages.countCaptured': {
    summary:
      'How many mails of a connection are sandbox captures not yet released (every recipient still captured): what messages.deleteCaptured would delete.',
    result: '{ connectionId, messages }',
  },
  'messages.deleteCaptured': {
    summary:
      'Delete every capture of a connection not yet released, with its stored mail (in the store or a spool file); released mail is kept. Statistics are not lowered.',
    result: '{ connectionId, deleted }',
  },
  'connections.sendTest': {
    summary:
      'Send a test mail ("Relaydesk test mail") through the connection: over SMTP to the relay\'s own intake with a one-time login, so every intake check, DKIM signing and delivery (or sandbox capture) run as for the sending system. `to` may be a simulator address (`delivered@simulator.relaydesk.test`, …). Refusals come back as `refused` with the SMTP reply and the next step.',
    result: '{ messageId, from, to }',
  },
  'activity.search': {
    summary:
      'The activity log: SMTP commands and sessions the relay refused (failed logins, lockouts, TLS, refused senders and recipients, limits, size, timeouts), newest first, with time, client address, connection (or the username a failed login tried), command, full reply and category; by category, connection, client address, text, time, or only mails refused after login (`rejectedMail`, what the Dashboard counts as Rejected). Bounded by `activity.maxEntries` and `activity.retentionDays`.',
    result: '{ items: ActivityEntry[], nextCursor: string | null }',
  },
  'relay.restart': {
    summary:
      "Restart Relaydesk so saved settings that wait for a restart (`pendingRestart`: listening addresses and ports) apply. Answers first, then closes the listeners (shops get a connection refused for a second or two and retry; queued mail is kept), and starts again. If a new value cannot be used (the port is taken, the address is not this machine's), it starts with the previous values and reports the problem in status.get. The desktop app relaunches itself; where the program running the relay cannot restart it, `unavailable`.",
    result: '{ restarting: true, startedAt }',
  },
};
