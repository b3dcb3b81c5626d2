import type { Spool, StagedMail } from '../spool/spool';
import { GroupCommit } from '../store/group-commit';
import type { AcceptedMessage } from '../store/messages-repo';
import type { Store } from '../store/store';

export interface AcceptedMail {
  message: AcceptedMessage;
  file: StagedMail;
}

/** In the recording transaction: the message, then its mail where it is kept in the store. */
function record(store: Store, mail: AcceptedMail): void {
  store.messages.recordAccepted(mail.message);
  mail.file.keepInStore();
}

/**
 * Makes accepted mail durable in groups: the mails that finish in the same turn of the event
 * loop are recorded in one store transaction — message rows and the mails kept in the store —
 * with one fsync, after the folders of any large mails' files were fsynced; each mail's promise
 * settles after that commit. The order of the single-mail path (file, folder, store, 250), paid
 * once per group.
 */
export function acceptCommit(store: Store, spool: Spool): (mail: AcceptedMail) => Promise<void> {
  const group = new GroupCommit<AcceptedMail>(
    store.db,
    (mail) => record(store, mail),
    (mails) => {
      spool.syncFoldersNow(mails.flatMap((m) => (m.file.file ? [m.file.file] : [])));
      return [];
    },
  );
  return (mail) => group.commit(mail);
}

/** One mail on its own (Relaydesk's own mail, tools): folder, then one transaction. */
export function commitAlone(store: Store, spool: Spool, mail: AcceptedMail): void {
  if (mail.file.file) spool.syncFoldersNow([mail.file.file]);
  store.db.transaction(() => record(store, mail))();
}
