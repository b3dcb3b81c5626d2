import type { DeliveryRoute } from '@shared/domain/message';
import { isSimulatorAddress } from '@shared/domain/simulator';
import type { SettingsService } from '../config/settings';
import type { Resolver } from '../engine/resolver';
import type { SmtpAnswer } from './reply';

export type TlsPolicy = 'opportunistic' | 'required' | 'implicit' | 'none';

export interface Target {
  host: string;
  port: number;
  /** A fixed address for the host, looked up in no DNS (the simulator's own server). */
  address?: string;
}

/** Where and how mail for one recipient domain goes: targets in the order to try them. */
export interface Route {
  kind: DeliveryRoute;
  /** What the route is called in logs and the console, e.g. "MX of example.org". */
  label: string;
  targets: Target[];
  tls: TlsPolicy;
  verifyCertificate: boolean;
  auth?: { user: string; pass: string };
}

/**
 * Why no route could be found. `unconfirmed`: permanent only once confirmed — a domain that does
 * not exist (NXDOMAIN) may be a resolver's passing mistake, so a recipient's first attempt defers
 * and a second one that gets the same answer bounces.
 */
export interface RouteFailure {
  permanent: boolean;
  answer: SmtpAnswer;
  unconfirmed?: boolean;
}

export type RouteResult = { route: Route } | { failure: RouteFailure };

const NOT_FOUND = new Set(['ENOTFOUND', 'NXDOMAIN']);
const NO_DATA = new Set(['ENODATA']);

function splitHostPort(value: string): Target {
  const at = value.lastIndexOf(':');
  return { host: value.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(value.slice(at + 1)) };
}

const dnsFailure = (domain: string, code: string): RouteResult => ({
  failure: {
    permanent: false,
    answer: { code: null, enhanced: '4.4.3', text: `DNS lookup for ${domain} failed (${code}); will retry` },
  },
});

/**
 * Route per recipient domain, in order (DESIGN "Settings that tests need"): the simulator's own
 * server for the simulator domain (before everything, so no override or smarthost can take
 * simulator mail off the machine), a `delivery.routes` override, else the smarthost, else the
 * domain's MX hosts by preference, falling back to its A/AAAA records when it has no MX (RFC 5321
 * §5.1). A null MX (RFC 7505) is a permanent failure.
 */
export async function resolveRoute(
  domain: string,
  settings: SettingsService,
  resolver: Resolver,
  mxPort = 25,
  simulator?: Target,
): Promise<RouteResult> {
  if (isSimulatorAddress(`@${domain}`)) {
    if (!simulator) {
      return {
        failure: {
          permanent: false,
          answer: {
            code: null,
            enhanced: '4.4.1',
            text: 'The Relaydesk simulator is not running; will retry',
          },
        },
      };
    }
    return {
      route: {
        kind: 'simulator',
        label: 'the Relaydesk simulator',
        targets: [simulator],
        tls: 'opportunistic',
        verifyCertificate: false,
      },
    };
  }
  const override = settings.get('delivery.routes')[domain];
  if (override) {
    const [hostPort = '', flag] = override.split(' ');
    return {
      route: {
        kind: 'override',
        label: `route ${hostPort}`,
        targets: [splitHostPort(hostPort)],
        tls: flag === 'require-tls' ? 'required' : 'opportunistic',
        verifyCertificate: false,
      },
    };
  }

  const smarthost = settings.get('delivery.smarthost');
  if (smarthost) {
    const policy = settings.get('delivery.smarthostTls');
    const user = settings.get('delivery.smarthostUser');
    return {
      route: {
        kind: 'smarthost',
        label: `smarthost ${smarthost}`,
        targets: [splitHostPort(smarthost)],
        tls: policy === 'starttls' ? 'required' : (policy as TlsPolicy),
        verifyCertificate: settings.get('delivery.smarthostVerifyCertificate'),
        ...(user ? { auth: { user, pass: settings.get('delivery.smarthostPassword') } } : {}),
      },
    };
  }

  const tls: TlsPolicy = settings.get('delivery.requireTls') ? 'required' : 'opportunistic';
  let mx: { exchange: string; priority: number }[];
  try {
    mx = await resolver.resolveMx(domain);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (NOT_FOUND.has(code)) {
      return {
        failure: {
          permanent: true,
          unconfirmed: true,
          answer: {
            code: null,
            enhanced: '5.1.2',
            text: `The domain ${domain} does not exist (no DNS records)`,
          },
        },
      };
    }
    if (!NO_DATA.has(code)) return dnsFailure(domain, code);
    mx = [];
  }

  if (mx.length === 1 && (mx[0]?.exchange === '' || mx[0]?.exchange === '.')) {
    return {
      failure: {
        permanent: true,
        answer: { code: 556, enhanced: '5.1.10', text: `${domain} accepts no mail (null MX, RFC 7505)` },
      },
    };
  }

  if (mx.length === 0) {
    // No MX: the domain itself is the mail host, if it has an address (RFC 5321 §5.1).
    const [a, aaaa] = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
    const has = (r: PromiseSettledResult<string[]>) => r.status === 'fulfilled' && r.value.length > 0;
    if (!has(a) && !has(aaaa)) {
      const codes = [a, aaaa].map((r) =>
        r.status === 'rejected' ? ((r.reason as NodeJS.ErrnoException).code ?? '') : '',
      );
      if (codes.some((c) => c && !NO_DATA.has(c) && !NOT_FOUND.has(c)))
        return dnsFailure(domain, codes.join('/'));
      return {
        failure: {
          permanent: true,
          unconfirmed: true,
          answer: {
            code: null,
            enhanced: '5.1.2',
            text: `${domain} has no MX and no address record: it cannot receive mail`,
          },
        },
      };
    }
    return {
      route: {
        kind: 'mx',
        label: `A/AAAA of ${domain}`,
        targets: [{ host: domain, port: mxPort }],
        tls,
        verifyCertificate: false,
      },
    };
  }

  const targets = [...mx]
    .filter((m) => m.exchange !== '' && m.exchange !== '.')
    .sort((x, y) => x.priority - y.priority)
    .map((m) => ({ host: m.exchange.replace(/\.$/, ''), port: mxPort }));
  return { route: { kind: 'mx', label: `MX of ${domain}`, targets, tls, verifyCertificate: false } };
}
