import type { ConnectionRecord, ConnectionsRepo } from '../store/connections-repo';
import { decoyHash, verifyPassword } from './password';

/** The connection these SMTP credentials belong to, or undefined. Unknown users cost as much as wrong passwords. */
export async function authenticate(
  repo: ConnectionsRepo,
  username: string,
  password: string,
): Promise<ConnectionRecord | undefined> {
  const connection = repo.findByUsername(username);
  if (!connection) {
    await verifyPassword(password, await decoyHash());
    return undefined;
  }
  return (await verifyPassword(password, connection.passwordHash)) ? connection : undefined;
}
