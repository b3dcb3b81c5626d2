import type { ResultOf } from '@shared/api/contract';
import { CERTIFICATE_FILENAME } from '@shared/setup/shop-setup';
import type { EngineContext } from '../engine/context';

/** The certificate the relay presents now, as shops download it (the key never leaves). */
export function certificateDownload(ctx: EngineContext): ResultOf<'tls.certificate'> {
  const { cert, info } = ctx.tls();
  return { filename: CERTIFICATE_FILENAME, pem: cert, ...info };
}
