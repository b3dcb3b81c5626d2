/** The two IPC channels of the desktop transport. */
export const IPC_CALL = 'relaydesk:call';
export const IPC_EVENT = 'relaydesk:event';
