/**
 * A fake of the `electron` module, the one thing the desktop tests may fake (its runtime cannot be
 * downloaded here). It records what the desktop code asks of Electron — windows and their options,
 * the tray's image, tooltip and menu, notifications, dialogs, the clipboard, login items, session
 * handlers — and lets a test click menu items and notifications, answer dialogs and fire events.
 * Use: `vi.mock('electron', () => import('../helpers/fake-electron'))`, then `fake` from here.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

export interface MenuItemOptions {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  checked?: boolean;
  enabled?: boolean;
  click?: () => unknown;
  submenu?: MenuItemOptions[];
}

class FakeImage {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return this.path === '';
  }
}

export const nativeImage = {
  createFromPath: (path: string) => new FakeImage(path),
  createEmpty: () => new FakeImage(''),
};

export class Menu {
  constructor(readonly items: MenuItemOptions[]) {}
  static buildFromTemplate(template: MenuItemOptions[]): Menu {
    return new Menu(template);
  }
}

export class Tray extends EventEmitter {
  image: FakeImage;
  tooltip = '';
  menu: Menu | undefined;
  destroyed = false;
  constructor(image: FakeImage) {
    super();
    this.image = image;
    fake.trays.push(this);
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: Menu): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** The menu item with this label, also inside submenus. */
  item(label: string | RegExp): MenuItemOptions {
    const find = (items: MenuItemOptions[]): MenuItemOptions | undefined => {
      for (const i of items) {
        if (i.label !== undefined && (typeof label === 'string' ? i.label === label : label.test(i.label)))
          return i;
        const inner = i.submenu && find(i.submenu);
        if (inner) return inner;
      }
      return undefined;
    };
    const found = find(this.menu?.items ?? []);
    if (!found) throw new Error(`no tray menu item ${label}; items: ${this.labels().join(' | ')}`);
    return found;
  }
  labels(): string[] {
    const all: string[] = [];
    const walk = (items: MenuItemOptions[]) => {
      for (const i of items) {
        if (i.label) all.push(i.label);
        if (i.submenu) walk(i.submenu);
      }
    };
    walk(this.menu?.items ?? []);
    return all;
  }
}

export class Notification extends EventEmitter {
  static supported = true;
  static isSupported(): boolean {
    return Notification.supported;
  }
  shown = false;
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super();
  }
  show(): void {
    this.shown = true;
    fake.notifications.push(this);
  }
  click(): void {
    this.emit('click');
  }
}

class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    fake.sent.push({ channel, args });
  }
  /** Emits an event with a preventable event object; says whether a handler prevented it. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows.filter((w) => !w.destroyed);
  }
  readonly webContents = new FakeWebContents();
  destroyed = false;
  visible = false;
  minimized = false;
  focused = false;
  loaded: { file?: string; url?: string; hash?: string }[] = [];
  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    BrowserWindow.windows.push(this);
    fake.windows.push(this);
  }
  loadFile(file: string, options: { hash?: string } = {}): Promise<void> {
    this.loaded.push({ file, ...(options.hash ? { hash: options.hash } : {}) });
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push({ url });
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused = true;
  }
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  quitting = 0;
  relaunched = 0;
  exitCode: number | undefined;
  loginItem = { openAtLogin: false, openAsHidden: false, args: [] as string[] };
  paths: Record<string, string> = { userData: '/tmp/relaydesk-fake-user-data', home: '/tmp' };
  quit(): void {
    this.quitting++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('will-quit');
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  relaunch(): void {
    this.relaunched++;
  }
  getPath(name: string): string {
    return this.paths[name] ?? `/tmp/${name}`;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void {
    this.loginItem = { openAsHidden: false, args: [], ...settings };
    fake.loginItemCalls.push(settings);
  }
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    return { openAtLogin: this.loginItem.openAtLogin, wasOpenedAtLogin: false };
  }
}

export const app = new FakeApp();

type PermissionHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;
type HeadersHandler = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void,
) => void;

export const session = {
  defaultSession: {
    permissionRequestHandler: undefined as PermissionHandler | undefined,
    permissionCheckHandler: undefined as ((...args: unknown[]) => boolean) | undefined,
    headersHandler: undefined as HeadersHandler | undefined,
    setPermissionRequestHandler(handler: PermissionHandler) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      this.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived(handler: HeadersHandler) {
        session.defaultSession.headersHandler = handler;
      },
    },
  },
};

export const shell = {
  openExternal: (url: string) => {
    fake.opened.push(url);
    return Promise.resolve();
  },
};

export const clipboard = {
  text: '',
  writeText(text: string) {
    this.text = text;
  },
};

export const dialog = {
  showErrorBox: (title: string, content: string) => {
    fake.dialogs.push({ kind: 'error', title, message: content });
  },
  showMessageBox: (...args: unknown[]) => {
    const options = args[args.length - 1] as { message: string; detail?: string; buttons?: string[] };
    fake.dialogs.push({
      kind: 'message',
      title: options.message,
      message: options.detail ?? '',
      buttons: options.buttons ?? [],
    });
    return Promise.resolve({ response: fake.nextDialogAnswer, checkboxChecked: false });
  },
};

/** Seals by reversing the bytes: enough to see that a value went through it and can come back. */
export const safeStorage = {
  available: true,
  calls: 0,
  isEncryptionAvailable() {
    return this.available;
  },
  encryptString(plain: string): Buffer {
    this.calls++;
    return Buffer.from(`fake-os:${plain}`, 'utf8').reverse();
  },
  decryptString(encrypted: Buffer): string {
    const text = Buffer.from(encrypted).reverse().toString('utf8');
    if (!text.startsWith('fake-os:')) throw new Error('not sealed by this keychain');
    return text.slice('fake-os:'.length);
  },
};

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  handle(channel: string, handler: Listener) {
    if (this.handlers.has(channel)) throw new Error(`a handler for ${channel} exists already`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

/** Everything recorded, and the knobs a test turns. */
export const fake = {
  trays: [] as Tray[],
  windows: [] as BrowserWindow[],
  notifications: [] as Notification[],
  dialogs: [] as { kind: 'error' | 'message'; title: string; message: string; buttons?: string[] }[],
  opened: [] as string[],
  sent: [] as { channel: string; args: unknown[] }[],
  loginItemCalls: [] as unknown[],
  /** The button index the next showMessageBox answers with. */
  nextDialogAnswer: 0,
  reset(): void {
    this.trays.length = 0;
    this.windows.length = 0;
    this.notifications.length = 0;
    this.dialogs.length = 0;
    this.opened.length = 0;
    this.sent.length = 0;
    this.loginItemCalls.length = 0;
    this.nextDialogAnswer = 0;
    BrowserWindow.windows.length = 0;
    Notification.supported = true;
    clipboard.text = '';
    safeStorage.available = true;
    safeStorage.calls = 0;
    app.removeAllListeners();
    app.quitting = 0;
    app.relaunched = 0;
    app.exitCode = undefined;
    app.loginItem = { openAtLogin: false, openAsHidden: false, args: [] };
    ipcMain.handlers.clear();
  },
};

export default {
  app,
  BrowserWindow,
  Menu,
  Tray,
  Notification,
  nativeImage,
  session,
  shell,
  clipboard,
  dialog,
  safeStorage,
  ipcMain,
};
