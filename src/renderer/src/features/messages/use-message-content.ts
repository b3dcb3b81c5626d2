import type { MessageContent } from '@shared/domain/message';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/error-message';

/** The stored mail taken apart (preview, text, attachments, DKIM), loaded once per message. */
export function useMessageContent(id: string): { content: MessageContent | null; error: string | null } {
  const [content, setContent] = useState<MessageContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setContent(null);
    setError(null);
    api.call('messages.content', { id }).then(
      (c) => current && setContent(c),
      (err: unknown) => current && setError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [id]);
  return { content, error };
}
