import type { Spool, StagedMail } from '../spool/spool';
import { GroupCommit } from '../store/group-commit';
import type { AcceptedMessage } from '../store/messages-repo';
import type { Store } from '../store/store';

export interface AcceptedMail {
  message: AcceptedMessage;
  file: StagedMail;
}

/**
 * Makes accepted mail durable in groups: the mails that finish in the same turn of the event
 * loop are written and fsynced (their files, then their folders, once each), then recorded in
 * one store transaction with one fsync, and each mail's promise settles after that commit —
 * the order of the single-mail path (file, folder, store, 250), paid once per group.
 */
export function acceptCommit(store: Store, spool: Spool): (mail: AcceptedMail) => Promise<void> {
  const group = new GroupCommit<AcceptedMail>(
    store.db,
    (mail) => store.messages.recordAccepted(mail.message),
    (mails) => {
      const errors = mails.map((mail) => {
        try {
          mail.file.writeNow();
          return undefined;
        } catch (err) {
          return err;
        }
      });
      const written = mails.filter((_, i) => errors[i] === undefined);
      try {
        spool.syncFoldersNow(written.map((m) => m.file.path));
      } catch (err) {
        return mails.map((_, i) => errors[i] ?? err);
      }
      return errors;
    },
  );
  return (mail) => group.commit(mail);
}
