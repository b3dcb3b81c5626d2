import type { SettingType, SettingValue } from './settings';

/** What a value is checked against: the parts of a setting's definition both the relay and the console know. */
export interface SettingShape {
  type: SettingType;
  min?: number;
  max?: number;
  choices?: readonly string[];
}

export type SettingCheck = { value: SettingValue } | { error: string };

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;
const ROUTE = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})( require-tls)?$/;

function portOk(hostPort: string): boolean {
  const port = Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
  return port >= 1 && port <= 65535;
}

/**
 * Checks a value's type, range and choices; returns the normalised value or a message saying
 * what is expected. The relay runs it (plus each key's own check) before saving; the console
 * runs it as the user types, so an obviously wrong value is explained before it is sent.
 */
export function checkSettingValue(def: SettingShape, value: unknown): SettingCheck {
  const checked = checkType(def, value);
  if ('error' in checked) return checked;
  if (def.choices && !def.choices.includes(String(checked.value)))
    return { error: `must be one of ${def.choices.join(', ')}` };
  return checked;
}

function checkType(def: SettingShape, value: unknown): SettingCheck {
  switch (def.type) {
    case 'hostPort': {
      if (typeof value !== 'string') return { error: 'must be text like relay.example.net:587' };
      const v = value.trim();
      if (v === '') return { value: v };
      return HOST_PORT.test(v) && portOk(v)
        ? { value: v }
        : { error: 'must be host:port, e.g. relay.example.net:587' };
    }
    case 'routeMap':
      return checkRouteMap(value);
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return { error: 'must be a whole number' };
      if (def.min !== undefined && value < def.min) return { error: `must be at least ${def.min}` };
      if (def.max !== undefined && value > def.max) return { error: `must be at most ${def.max}` };
      return { value };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: 'must be true or false' };
    default:
      return typeof value === 'string' ? { value: value.trim() } : { error: 'must be text' };
  }
}

function checkRouteMap(value: unknown): SettingCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'must map recipient domains to host:port, e.g. {"example.org": "127.0.0.1:2526"}' };
  }
  const out: Record<string, string> = {};
  for (const [domain, target] of Object.entries(value as Record<string, unknown>)) {
    const d = domain.trim().toLowerCase();
    const t = typeof target === 'string' ? target.trim() : '';
    if (!/^[a-z0-9.-]+$/.test(d) || !d.includes('.')) return { error: `"${domain}" is not a domain name` };
    const m = ROUTE.exec(t);
    if (!m || !portOk(`x:${m[2]}`))
      return { error: `route for ${d} must be host:port, optionally followed by " require-tls"` };
    out[d] = t;
  }
  return { value: out };
}
