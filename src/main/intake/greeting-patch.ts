import { SMTPConnection } from 'smtp-server/lib/smtp-connection';

const PATCHED = Symbol.for('relaydesk.greetingPatch');
/** What SMTPConnection.init of smtp-server 3.21.6 does before the greeting; the patch replaces exactly this. */
const EXPECTED = /setTimeout\(\s*\(\)\s*=>\s*this\.connectionReady\(\)\s*,\s*100\s*\)/;

interface Connection {
  _server: { options: { maxClients?: number }; connections: Set<unknown> };
  name: string;
  _setListeners(done: () => void): void;
  send(code: number, text: string, context?: unknown): void;
  connectionReady(): void;
}

/**
 * smtp-server waits 100 ms before every greeting (early-talker detection). A shop that opens a
 * connection per mail (PHPMailer's default) pays that on every mail: measured 310 ms p50 per
 * mail with it. Relaydesk requires STARTTLS and a login before anything counts, so the pause buys
 * nothing here; a client that talks before the greeting is still refused ("You talk too soon"),
 * since input is ignored until the greeting is sent. The option does not exist, so this replaces
 * `init` — and refuses to start when the library's `init` is no longer the one it was written
 * for (an upgrade must be looked at, not silently patched). `intake-greeting.test.ts` catches
 * the pause coming back.
 */
export function installGreetingPatch(
  proto = SMTPConnection.prototype as unknown as { init(): void; [PATCHED]?: true },
): void {
  if (proto[PATCHED]) return;
  if (!EXPECTED.test(proto.init.toString())) {
    throw new Error(
      'smtp-server changed: SMTPConnection.init no longer waits 100 ms before the greeting as src/main/intake/greeting-patch.ts expects; review the new version and update or remove the patch',
    );
  }
  proto.init = function init(this: Connection) {
    this._setListeners(() => {
      const { maxClients } = this._server.options;
      if (maxClients && this._server.connections.size > maxClients) {
        return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      }
      this.connectionReady();
    });
  };
  proto[PATCHED] = true;
}
