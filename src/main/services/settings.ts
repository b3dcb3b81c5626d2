import type { ResultOf } from '@shared/api/contract';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { EngineContext } from '../engine/context';

export function settingsService(ctx: EngineContext) {
  const { settings } = ctx;
  return {
    get: (): ResultOf<'settings.get'> => settings.entries(),

    async update({ values }: ParsedParamsOf<'settings.update'>): Promise<ResultOf<'settings.update'>> {
      settings.validate(values);
      // A certificate change is checked (readable, a key, matching) before anything is saved.
      if ('smtp.tlsCertFile' in values || 'smtp.tlsKeyFile' in values) {
        const certFile = String(values['smtp.tlsCertFile'] ?? settings.get('smtp.tlsCertFile'));
        const keyFile = String(values['smtp.tlsKeyFile'] ?? settings.get('smtp.tlsKeyFile'));
        await ctx.applyCertificate(certFile, keyFile);
      }
      settings.update(values);
      // The generated certificate must name the host shops are told to use (see tls-certificate.ts).
      if ('smtp.publicHost' in values && !settings.get('smtp.tlsCertFile'))
        await ctx.applyCertificate('', '');
      return settings.entries();
    },
  };
}
