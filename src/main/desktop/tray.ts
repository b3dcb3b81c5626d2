import { join } from 'node:path';
import type { StatCounts } from '@shared/domain/stats';
import type { RelayStatus } from '@shared/domain/status';
import { Menu, nativeImage, Tray } from 'electron';
import { type TrayActions, type TrayMenuState, trayMenu } from './tray-menu';
import { type TrayState, trayLook, trayTooltip } from './tray-state';

export interface TrayInputs {
  quotaAlertThreshold(): number;
  startAtLogin(): boolean;
  /** Today's counts in this computer's time zone (stats.summary), at most every 10 s. */
  today(): Promise<StatCounts>;
  connections(): Promise<TrayMenuState['connections']>;
}

const TODAY_EVERY_MS = 10_000;

/** The tray icon: its image and tooltip follow the relay's status; its menu holds the quick actions. */
export class DesktopTray {
  private readonly tray: Tray;
  /** The icon shown, so the image is set only when the state changes. */
  private shown: TrayState | undefined;
  private today: StatCounts | undefined;
  private todayAt = 0;
  /** A later update, so counts that moved within the 10 s still reach the tooltip. */
  private trailing: NodeJS.Timeout | undefined;
  private latest: RelayStatus | undefined;
  /** Read at the first update and again only when told they changed (connectionsChanged). */
  private connections: TrayMenuState['connections'] | undefined;

  constructor(
    private readonly inputs: TrayInputs,
    private readonly actions: TrayActions,
    private readonly now: () => number,
    private readonly resources = join(__dirname, '../../resources'),
  ) {
    this.tray = new Tray(this.image('running'));
    this.tray.on('click', actions.openConsole);
  }

  private image(state: TrayState) {
    const icon = nativeImage.createFromPath(join(this.resources, `tray-${state}.png`));
    return icon.isEmpty() ? nativeImage.createEmpty() : icon;
  }

  /** Shows `status` (from status.changed, or status.get after an action). */
  async update(status: RelayStatus): Promise<void> {
    this.latest = status;
    const look = trayLook(status, this.inputs.quotaAlertThreshold());
    if (!this.today || this.now() - this.todayAt >= TODAY_EVERY_MS) {
      this.todayAt = this.now();
      this.today = await this.inputs.today();
    } else if (!this.trailing) {
      this.trailing = setTimeout(() => {
        this.trailing = undefined;
        this.todayAt = 0;
        if (this.latest) this.update(this.latest).catch(() => undefined);
      }, TODAY_EVERY_MS);
      this.trailing.unref();
    }
    this.connections ??= await this.inputs.connections();
    const state: TrayMenuState = {
      look,
      paused: status.queue.paused.includes('*'),
      connections: this.connections,
      startAtLogin: this.inputs.startAtLogin(),
    };
    if (this.shown !== look.state) this.tray.setImage(this.image(look.state));
    this.shown = look.state;
    this.tray.setToolTip(trayTooltip(look, this.today));
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenu(state, this.actions)));
  }

  /** A connection was created, renamed or deleted: the copy submenu is read again. */
  async connectionsChanged(): Promise<void> {
    this.connections = await this.inputs.connections();
    if (this.latest) await this.update(this.latest);
  }

  destroy(): void {
    clearTimeout(this.trailing);
    this.tray.destroy();
  }
}
