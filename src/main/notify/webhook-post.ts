import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Resolver } from '../engine/resolver';

/** What a receiver answered: a status code, or the reason none came. */
export interface PostResult {
  statusCode: number | null;
  /** Empty for a 2xx; otherwise why the event does not count as received. */
  error: string;
  durationMs: number;
}

/** Host names are looked up through the injected resolver (IPv4 first), like delivery's MX hosts. */
function lookupWith(resolver: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    const find = async (): Promise<{ address: string; family: 4 | 6 }> => {
      const v4 = await resolver.resolve4(hostname).catch(() => [] as string[]);
      if (v4[0]) return { address: v4[0], family: 4 };
      const v6 = await resolver.resolve6(hostname).catch(() => [] as string[]);
      if (v6[0]) return { address: v6[0], family: 6 };
      throw Object.assign(new Error(`${hostname} has no address in DNS`), { code: 'ENOTFOUND' });
    };
    find().then(
      ({ address, family }) =>
        options.all ? callback(null, [{ address, family }]) : callback(null, address, family),
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}

function describe(err: NodeJS.ErrnoException, url: URL): string {
  if (err.name === 'TimeoutError' || err.code === 'ETIMEDOUT') return err.message;
  if (err.code === 'ECONNREFUSED') return `connection refused by ${url.host}`;
  if (err.code === 'ENOTFOUND') return `${url.hostname} has no address in DNS`;
  if (err.code === 'ECONNRESET') return `${url.host} closed the connection`;
  return err.message || String(err.code);
}

/**
 * POSTs `body` to `url` once: no redirects followed (a 3xx is a failure naming where it pointed),
 * the whole exchange within `timeoutMs`, at most 4 KiB of the answer read (the rest is dropped).
 */
export function postEvent(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; resolver: Resolver },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (statusCode: number | null, error: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, error, durationMs: elapsed() });
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        ...(isIP(url.hostname.replace(/^\[|\]$/g, '')) ? {} : { lookup: lookupWith(options.resolver) }),
        agent: false,
      },
      (res: IncomingMessage) => {
        const code = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 4096) text += chunk;
        });
        res.on('error', () => {});
        res.on('end', () => done(code, errorOf(code, res.headers.location, text)));
      },
    );
    const timer = setTimeout(() => {
      done(null, `no answer within ${options.timeoutMs / 1000} s`);
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done(null, describe(err, url)));
    req.end(body);
  });
}

function errorOf(code: number, location: string | undefined, text: string): string {
  if (code >= 200 && code < 300) return '';
  if (code >= 300 && code < 400)
    return `HTTP ${code}: redirects are not followed${location ? ` (to ${location.slice(0, 200)})` : ''}; enter the final address`;
  const said = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `HTTP ${code}${said ? `: ${said}` : ''}`;
}
