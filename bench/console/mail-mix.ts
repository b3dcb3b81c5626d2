/**
 * What the generated store holds: five connections sending from eight sending domains, about
 * 200,000 customers at a few thousand recipient domains, and subjects in English and German
 * (order confirmations, invoices, password resets, shipping notices, …) so full-text search
 * has real words to find.
 */
import type { ConnectionMode } from '@shared/domain/connection';
import type { Random } from './random';

export interface BenchConnection {
  id: string;
  name: string;
  mode: ConnectionMode;
  /** Share of all mail. */
  share: number;
  /** Sending domains it sends from, with the local parts of its senders (the last ones rare). */
  domains: { domain: string; brand: string; senders: string[] }[];
}

export const CONNECTIONS: BenchConnection[] = [
  {
    id: 'cwebshop0001',
    name: 'Webshop',
    mode: 'live',
    share: 45,
    domains: [
      {
        domain: 'brightcart.example',
        brand: 'Brightcart',
        senders: ['orders', 'shipping', 'noreply', 'ceo'],
      },
      { domain: 'brightcart.de', brand: 'Brightcart', senders: ['bestellung', 'versand', 'noreply'] },
    ],
  },
  {
    id: 'ccrm00000002',
    name: 'CRM',
    mode: 'live',
    share: 20,
    domains: [
      { domain: 'crm.ledgerly.example', brand: 'Ledgerly', senders: ['accounts', 'team', 'security'] },
      { domain: 'mail.brightcart.example', brand: 'Brightcart', senders: ['service', 'newsletter-ops'] },
    ],
  },
  {
    id: 'cbilling0003',
    name: 'Billing',
    mode: 'live',
    share: 15,
    domains: [
      {
        domain: 'invoices.ledgerly.example',
        brand: 'Ledgerly',
        senders: ['invoices', 'rechnung', 'dunning'],
      },
    ],
  },
  {
    id: 'chelpdesk004',
    name: 'Helpdesk',
    mode: 'live',
    share: 12,
    domains: [
      {
        domain: 'help.tinkerdesk.example',
        brand: 'Tinkerdesk',
        senders: ['support', 'tickets', 'escalation'],
      },
      { domain: 'tinkerdesk.de', brand: 'Tinkerdesk', senders: ['hilfe', 'noreply'] },
    ],
  },
  {
    id: 'cstaging0005',
    name: 'Staging shop',
    mode: 'sandbox',
    share: 8,
    domains: [{ domain: 'staging.brightcart.example', brand: 'Brightcart Test', senders: ['orders', 'qa'] }],
  },
];

const FIRST =
  'anna ben clara david emma felix greta hannah jonas julia karl lena lukas maria max mia noah olivia paul sophie tom ursula victor william yusuf zoe james mary robert linda michael sarah daniel laura thomas nina peter sandra stefan katrin ali fatma luca giulia pierre camille'.split(
    ' ',
  );
const LAST =
  'mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch richter klein wolf neumann schwarz braun zimmermann krueger hartmann smith jones taylor brown williams wilson johnson davies robinson wright thompson evans walker white roberts green hall wood jackson clarke rossi russo martin bernard dubois yilmaz kaya nowak kowalski jansen'.split(
    ' ',
  );
/** Mailbox providers take most of the mail; the rest spreads over thousands of company domains. */
const PROVIDERS: [string, number][] = [
  ['gmail.com', 30],
  ['outlook.com', 10],
  ['web.de', 9],
  ['gmx.de', 9],
  ['t-online.de', 6],
  ['yahoo.com', 5],
  ['icloud.com', 5],
  ['gmx.net', 3],
  ['posteo.de', 1],
  ['proton.me', 1],
];
const COMPANY_PARTS =
  'alpen nord sued blue green rhein metro city bau tech haus werk logistik design media praxis kanzlei hotel garten auto'.split(
    ' ',
  );
const TLDS = ['de', 'com', 'at', 'ch', 'net', 'eu', 'co.uk', 'nl', 'fr', 'it'];

/** `count` distinct recipient domains: the providers first, then company domains. */
export function recipientDomains(random: Random, count: number): string[] {
  const domains = new Set(PROVIDERS.map(([d]) => d));
  while (domains.size < count) {
    domains.add(
      `${random.pick(COMPANY_PARTS)}${random.pick(COMPANY_PARTS)}-${random.int(1000)}.${random.pick(TLDS)}`,
    );
  }
  return [...domains];
}

/** `count` distinct customer addresses; half at a mailbox provider, half at a company domain. */
export function customerAddresses(random: Random, count: number, domains: string[]): string[] {
  const companies = domains.slice(PROVIDERS.length);
  const addresses = new Set<string>();
  while (addresses.size < count) {
    const domain = random.next() < 0.5 ? random.weighted(PROVIDERS) : random.pick(companies);
    const style = random.int(3);
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const local =
      style === 0
        ? `${first}.${last}`
        : style === 1
          ? `${first[0]}${last}${random.int(100)}`
          : `${first}${random.int(10000)}`;
    addresses.add(`${local}@${domain}`);
  }
  return [...addresses];
}

const PRODUCTS_EN =
  'espresso machine, hiking boots, rain jacket, coffee grinder, desk lamp, yoga mat, headphones, backpack, kettle, running shoes, winter gloves, cast iron pan, bluetooth speaker, office chair'.split(
    ', ',
  );
const PRODUCTS_DE =
  'Kaffeemaschine, Wanderschuhe, Regenjacke, Kaffeemühle, Schreibtischlampe, Yogamatte, Kopfhörer, Rucksack, Wasserkocher, Laufschuhe, Winterhandschuhe, Gusseisenpfanne, Lautsprecher, Bürostuhl'.split(
    ', ',
  );

type Subject = (r: Random, n: string) => string;
const SUBJECTS_EN: Subject[] = [
  (r, n) => `Order confirmation #${n}: ${r.pick(PRODUCTS_EN)}`,
  (_r, n) => `Your order #${n} has shipped`,
  (r, n) => `Shipping notice: your parcel ${n} with the ${r.pick(PRODUCTS_EN)} is on its way`,
  (_r, n) => `Invoice INV-${n} for your order`,
  () => 'Reset your password',
  () => 'Your password was changed',
  (_r, n) => `Payment received for order #${n}, thank you`,
  () => 'Please confirm your e-mail address',
  (_r, n) => `Ticket #${n}: we have answered your request`,
  (_r, n) => `Delivery delayed for order #${n}`,
  (r) => `Your subscription renews on ${r.between(1, 28)} ${r.pick(['March', 'April', 'May', 'June'])}`,
  (r, n) => `Return label for order #${n} (${r.pick(PRODUCTS_EN)})`,
];
const SUBJECTS_DE: Subject[] = [
  (r, n) => `Bestellbestätigung Nr. ${n}: ${r.pick(PRODUCTS_DE)}`,
  (_r, n) => `Ihre Bestellung ${n} wurde versandt`,
  (r, n) => `Versandbenachrichtigung: Ihr Paket ${n} mit ${r.pick(PRODUCTS_DE)} ist unterwegs`,
  (_r, n) => `Rechnung RE-${n} zu Ihrer Bestellung`,
  () => 'Passwort zurücksetzen',
  () => 'Ihr Passwort wurde geändert',
  (_r, n) => `Zahlungseingang für Bestellung ${n} bestätigt`,
  () => 'Bitte bestätigen Sie Ihre E-Mail-Adresse',
  (_r, n) => `Ticket #${n}: Wir haben Ihre Anfrage beantwortet`,
  (_r, n) => `Lieferverzögerung bei Bestellung ${n}`,
  (r) => `Ihr Abo verlängert sich am ${r.between(1, 28)}. ${r.pick(['März', 'April', 'Mai', 'Juni'])}`,
  (_r, n) => `Mahnung: Rechnung RE-${n} ist fällig`,
];

/** A subject in the sending domain's language (the .de domains write German). */
export function subjectFor(random: Random, domain: string, serial: number): string {
  const german = domain.endsWith('.de') || random.next() < 0.15;
  return random.pick(german ? SUBJECTS_DE : SUBJECTS_EN)(random, String(100000 + serial));
}

/** Words full-text search is asked for: common (order, rechnung) and rare (gusseisenpfanne). */
export const SEARCH_WORDS =
  'order invoice password shipped parcel delayed ticket subscription return espresso boots kettle headphones bestellung rechnung passwort versandt paket mahnung lieferverzögerung kaffeemühle gusseisenpfanne wanderschuhe abo'.split(
    ' ',
  );
/** Free-text searches: two words, from subject, sender and recipient alike. */
export const FREE_TEXT =
  'order shipped, invoice ledgerly, password gmail, rechnung web.de, paket unterwegs, ticket answered, brightcart espresso, tinkerdesk anfrage, mueller bestellung, smith order, delayed outlook, yoga mat, reset password, schmidt rechnung'.split(
    ', ',
  );
